"""Make N realistic plans by recombining the bundled documents under other regions and years.

    .venv/bin/python bench/make_corpus.py OUT_DIR --docs 1000

Each generated plan is a bundled plan whose region is swapped for another of the same
level (so its agencies become that region's: 曲靖市科协 → 唐山市科协), whose years are
shifted by a multiple of five, and whose middle sections (一、…) are shuffled; so parsers
see new names, new numbers and new arrangements, not 1,000 copies of five files.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Region as written in each seed → the level it is at, and stand-ins of the same level.
PROVINCES = ["河北省", "山西省", "辽宁省", "江苏省", "浙江省", "安徽省", "江西省", "河南省", "湖南省", "广东省", "甘肃省", "青海省"]
CITIES = ["唐山市", "大同市", "鞍山市", "徐州市", "温州市", "芜湖市", "赣州市", "洛阳市", "株洲市", "佛山市", "天水市", "德阳市"]
COUNTIES = ["鼓楼区", "新华区", "城关区", "江北区", "和平区", "开发区", "西湖区", "雨花区"]
SEED_REGIONS = {"吉林省": PROVINCES, "曲靖市": CITIES, "广元市": CITIES, "台江区": COUNTIES, "福州市": CITIES}


def variant(text: str, rng: random.Random) -> str:
    for name, pool in SEED_REGIONS.items():
        if name in text:
            text = text.replace(name, rng.choice(pool))
    shift = 5 * rng.randint(-1, 2)
    text = re.sub(r"(?<!\d)(20[0-3]\d)(?=年|—|-|－|）)", lambda m: str(int(m.group(1)) + shift), text)
    # Shuffle the top-level sections after the first (keeps the preamble and heading).
    parts = re.split(r"(?m)^(?=[一二三四五六七八九十]+、)", text)
    if len(parts) > 3:
        middle = parts[2:-1]
        rng.shuffle(middle)
        parts = parts[:2] + middle + parts[-1:]
    return "".join(parts)


def write_corpus(out: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Write ``n`` plans ``plan_00000.txt``… into ``out``; the same ``seed`` gives the same files."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "documents").glob("*.txt"))]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = out / f"plan_{i:05d}.txt"
        path.write_text(variant(seeds[i % len(seeds)], rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.out, args.docs, seed=args.seed)
    print(f"wrote {args.docs} plans to {args.out}")


if __name__ == "__main__":
    main()
