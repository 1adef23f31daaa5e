"""Skills read from real postings against hand-written labels: precision, recall and blurb leaks.

The labels (`job_skills_labels.json`) name real postings by their place in ``../shared/data`` and list
the skills each requires, those it calls nice to have, and skill-like words found only in the company
blurb, benefits, EEO text, customer lists or team names. Each posting is read the way match_jobs reads
it (`matching.features.read_job`); its required and nice-to-have skills are compared with the labels by
exact canonical name (a near miss is a miss); the file's `same_skill` table only translates the labels'
wording where it names the same skill as the taxonomy ("Excel" is "Microsoft Excel"). Soft skills are not labelled and not scored.

- precision: extracted skills that are labelled required or nice / all extracted skills;
- recall: labelled skills extracted / all labelled skills;
- blurb leaks: extracted skills labelled as blurb-only;
- section agreement: of the labelled skills found, those put on the right side (required vs nice).

`job_skills_heldout.json` holds a second set labelled after the rules were written (`--labels`).

Run: uv run python bench/job_skills.py [--postings] [--misses] [--labels bench/job_skills_heldout.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from job_postings import posting

from jobsearch_mcp_server.matching.features import SOFT_SKILLS, Vocabulary, read_job
from jobsearch_mcp_server.skills import load_taxonomy

LABELS = Path(__file__).with_name("job_skills_labels.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", action="store_true", help="print the figures per posting")
    parser.add_argument("--misses", action="store_true", help="print every wrong, missed and leaked skill")
    parser.add_argument(
        "--labels",
        type=Path,
        default=LABELS,
        help="the labels file (job_skills_heldout.json: the held-out set)",
    )
    args = parser.parse_args()

    soft = {s.name for s in load_taxonomy().skills if s.category == SOFT_SKILLS}
    data = json.loads(args.labels.read_text(encoding="utf-8"))
    same = {label: name for label, name in data["same_skill"].items() if label != "_"}
    labelled = [
        {**item, **{side: [same.get(s, s) for s in item[side]] for side in ("required", "nice", "blurb")}}
        for item in data["postings"]
    ]
    vocabulary, skill_vocabulary = Vocabulary(), Vocabulary()
    totals = {"extracted": 0, "correct": 0, "labelled": 0, "found": 0, "leaks": 0, "sided": 0}
    for item in labelled:
        job = posting(item["ref"])
        features = read_job(job, vocabulary, skill_vocabulary)
        required = [s for s in features.required_skills if s not in soft]
        nice = [s for s in features.nice_skills if s not in soft]
        extracted = set(required) | set(nice)
        wanted = set(item["required"]) | set(item["nice"])
        correct = extracted & wanted
        leaks = extracted & (set(item["blurb"]) - wanted)
        sided = {s for s in correct if (s in item["nice"] and s not in item["required"]) == (s in nice)}
        for key, value in (
            ("extracted", len(extracted)),
            ("correct", len(correct)),
            ("labelled", len(wanted)),
            ("found", len(correct)),
            ("leaks", len(leaks)),
            ("sided", len(sided)),
        ):
            totals[key] += value
        if args.postings:
            print(
                f"{item['ref'][:60]:60} {job.title[:34]:34} "
                f"P {len(correct) / max(len(extracted), 1):.2f} R {len(correct) / max(len(wanted), 1):.2f} "
                f"leaks {len(leaks)}"
            )
        if args.misses:
            wrong = sorted(extracted - wanted)
            missed = sorted(wanted - extracted)
            if wrong or missed:
                print(f"- {item['ref']} ({job.title})")
                if wrong:
                    print(
                        f"    wrong:  {', '.join(wrong)}"
                        + (f"   (blurb: {', '.join(sorted(leaks))})" if leaks else "")
                    )
                if missed:
                    print(f"    missed: {', '.join(missed)}")
    precision = totals["correct"] / max(totals["extracted"], 1)
    recall = totals["found"] / max(totals["labelled"], 1)
    print(
        f"{len(labelled)} postings, {totals['labelled']} labelled skills, {totals['extracted']} extracted\n"
        f"precision {precision:.3f}  recall {recall:.3f}  blurb leaks {totals['leaks']}  "
        f"(per 40 postings {totals['leaks'] * 40 / len(labelled):.1f})  "
        f"required/nice side right {totals['sided'] / max(totals['found'], 1):.3f}"
    )


if __name__ == "__main__":
    main()
