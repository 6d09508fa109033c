#!/usr/bin/env python3
"""Amazon-2014-shaped review data (FORMATS.md §4) of any size, for measuring how fast revue
loads mapped JSON Lines and how much memory it takes.

    python3 benches/gen_amazon.py COUNT OUT [SEED]

Each line has the keys and value types of Amazon's 2014 reviews (`reviewerID`, `asin`,
`reviewerName`, `helpful` as `[helpful, total]`, `reviewText`, `overall` as a float,
`summary`, `unixReviewTime`, `reviewTime`). Bodies are sentences of the sample page,
reshuffled, about 600 bytes on average, with the escapes such dumps hold: quotes, line
breaks and non-ASCII characters written as `\\uXXXX` (Python's json default). Some reviewers
have no name, and some lines add the 2018 fields (`verified`, `style`, `vote`). Write it
under /tmp; never commit it.
"""
import json
import random
import re
import sys
from pathlib import Path

def main():
    count = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    sample = (Path(__file__).parent.parent / "assets" / "pusher-ii-reviews.txt").read_text()
    # The review paragraphs only (long lines), not the page's short title and vote lines.
    prose = " ".join(line for line in sample.splitlines() if len(line) > 80)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", prose) if 20 < len(s) < 300]
    with open(out, "w") as f:
        for i in range(count):
            paragraphs = []
            for _ in range(rng.choice([1, 1, 2, 3])):
                paragraphs.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 5))))
            up = rng.randint(0, 40)
            review = {
                "reviewerID": "A%013X" % rng.getrandbits(52),
                "asin": "B%09d" % rng.randint(0, 20000),
                "reviewerName": "reader %d" % i,
                "helpful": [up, up + rng.randint(0, 10)],
                "reviewText": "\n\n".join(paragraphs) + (" \u2019\u00e9" if i % 7 == 0 else ""),
                "overall": float(rng.randint(1, 5)),
                "summary": rng.choice(sentences)[:60],
                "unixReviewTime": 1_200_000_000 + rng.randint(0, 400_000_000),
                "reviewTime": "%02d %d, %d" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(2008, 2020)),
            }
            if i % 11 == 0:
                del review["reviewerName"]
            if i % 5 == 0:
                review["verified"] = True
                review["style"] = {"Format:": " DVD"}
            f.write(json.dumps(review) + "\n")

if __name__ == "__main__":
    main()
