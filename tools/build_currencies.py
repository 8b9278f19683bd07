"""Build funding/data/currencies.csv: ISO 4217 codes with English and French names.

Source: Debian's iso-codes package (LGPL-2.1+), /usr/share/iso-codes/json/iso_4217.json and its
French catalogue. Funds, precious metals and testing codes are left out: nobody budgets in them.
Run: python3 tools/build_currencies.py
"""

import csv
import gettext
import json
from pathlib import Path

SOURCE = Path("/usr/share/iso-codes/json/iso_4217.json")
TARGET = Path(__file__).resolve().parent.parent / "funding" / "data" / "currencies.csv"
NOT_MONEY = {
    # funds and units of account
    "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "XBA", "XBB", "XBC", "XBD",
    "XDR", "XSU", "XUA",
    # precious metals, testing, no currency
    "XAG", "XAU", "XPD", "XPT", "XTS", "XXX",
}  # fmt: skip


def main() -> None:
    french = gettext.translation("iso_4217", localedir="/usr/share/locale", languages=["fr"])
    rows = [
        (entry["alpha_3"], entry["name"], french.gettext(entry["name"]))
        for entry in json.loads(SOURCE.read_text(encoding="utf-8"))["4217"]
        if entry["alpha_3"] not in NOT_MONEY
    ]
    with TARGET.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name_en", "name_fr"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} currencies written to {TARGET}")


if __name__ == "__main__":
    main()
