"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX, shipped in knowledge/models/) on ONNX Runtime.

Loaded once per process, offline. Texts are cut to KNOWLEDGE_EMBED_MAX_TOKENS tokens (128 by
default: on SciFact this is 2.5 times faster than 256 and the hybrid ranking scores the same; see
knowledge/models/README.md). Vectors are mean-pooled and normalised, so a dot product is the cosine.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings

MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_FILE = MODEL_DIR / "all-MiniLM-L6-v2-int8.onnx"
DIMENSIONS = 384
BATCH = 32


class Encoder:
    def __init__(self, max_tokens: int):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(getattr(settings, "KNOWLEDGE_EMBED_THREADS", 0) or 0)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(
            str(MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding()
        self.lock = threading.Lock()  # the tokenizer's padding state is per object

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Similar lengths batched together waste no work on padding.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), BATCH):
            indexes = order[start : start + BATCH]
            with self.lock:
                encodings = self.tokenizer.encode_batch([texts[index] for index in indexes])
            ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
            mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            vectors[indexes] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return vectors


@cache
def encoder() -> Encoder:
    return Encoder(settings.KNOWLEDGE_EMBED_MAX_TOKENS)


def embed(texts: list[str]) -> np.ndarray:
    return encoder().encode(texts) if texts else np.zeros((0, DIMENSIONS), dtype=np.float32)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)
