"""A synthetic corpus of any size: real papers replicated with varied
council, committee, kind and meeting date.

Each copy of a real paper gets a heading naming a council, a committee
and a meeting date drawn (deterministically) from the lists below, before
its own text, so the extractor reads new metadata while the items and
their text stay real. Copies are spread over council/year folders.

    synth.py --out DIR --files N SOURCE_DIR...
Files already in DIR (from an earlier, smaller run) are kept: growing a
corpus only writes the new ones.
"""
import argparse
import datetime
import os
import random

COUNCILS = [
    "Oxfordshire County Council", "Dorset Council", "Worcestershire County Council", "Leeds City Council",
    "Bristol City Council", "Cornwall Council", "Kent County Council", "Essex County Council", "Norfolk County Council",
    "Suffolk County Council", "Devon County Council", "Somerset Council", "Wiltshire Council", "Hampshire County Council",
    "Surrey County Council", "Lancashire County Council", "Cumbria County Council", "Durham County Council",
    "Northumberland County Council", "Cheshire East Council", "Shropshire Council", "Herefordshire Council",
    "Gloucestershire County Council", "Warwickshire County Council", "Leicestershire County Council",
    "Nottinghamshire County Council", "Derbyshire County Council", "Lincolnshire County Council",
    "Cambridgeshire County Council", "Hertfordshire County Council", "Buckinghamshire Council",
    "West Sussex County Council", "East Sussex County Council", "Birmingham City Council", "Manchester City Council",
    "Liverpool City Council", "Sheffield City Council", "Newcastle City Council", "Cardiff Council", "Glasgow City Council",
]
COMMITTEES = [
    ("Cabinet", "agenda"), ("Cabinet", "minutes"), ("Planning Committee", "minutes"), ("Licensing Committee", "minutes"),
    ("Audit and Governance Committee", "agenda"), ("Overview and Scrutiny Committee", "minutes"),
    ("Health and Wellbeing Board", "minutes"), ("Children's Services Scrutiny Committee", "agenda"),
    ("Pension Fund Committee", "minutes"), ("Standards Committee", "agenda"), ("Council", "minutes"),
    ("Environment and Transport Committee", "minutes"), ("Adult Social Care Committee", "agenda"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def heading(rng):
    council = rng.choice(COUNCILS)
    committee, kind = rng.choice(COMMITTEES)
    day = datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(20 * 365))
    when = f"{day.strftime('%A')} {day.day} {MONTHS[day.month - 1]} {day.year}"
    if kind == "minutes":
        lines = [council, "", f"Minutes of a meeting of the {committee} held on {when}", ""]
    else:
        lines = [council, "", f"{committee}", "", f"Agenda for the meeting to be held on {when}", ""]
    return council, day, "\n".join(lines) + "\n"


def sources(dirs):
    files = []
    for d in dirs:
        for root, _, names in os.walk(d):
            for n in names:
                if n.lower().endswith((".txt", ".md")):
                    files.append(os.path.join(root, n))
    return sorted(files)


def grow(out, target, source_dirs, seed=1):
    src = sources(source_dirs)
    os.makedirs(out, exist_ok=True)
    written = 0
    for n in range(target):
        rng = random.Random(seed * 1_000_003 + n)
        council, day, head = heading(rng)
        base = src[n % len(src)]
        folder = os.path.join(out, council.lower().replace(" ", "-"), str(day.year))
        ext = os.path.splitext(base)[1]
        path = os.path.join(folder, f"{n:07d}{ext}")
        if os.path.exists(path):
            continue
        os.makedirs(folder, exist_ok=True)
        with open(base, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if text.startswith("---\n") and "\n---\n" in text[4:]:
            end = text.index("\n---\n", 4) + 5
            # Keep the Markdown front matter first; its title is the paper's.
            text = text[:end] + head + text[end:]
        else:
            text = head + text
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        written += 1
    return written


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    print(grow(a.out, a.files, a.sources), "files written")
