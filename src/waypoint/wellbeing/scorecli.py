"""`waypoint wellbeing score INSTRUMENT --answers a,b,c [--sex m|f] [--json]`.

Needs no database or settings, so a clinician's script or a test can score answers
anywhere Waypoint is installed. Bad input exits with status 2 and a message naming the
field and the rule.
"""

import argparse
import json
import sys

from waypoint.wellbeing import instruments
from waypoint.wellbeing.scoring import ScoringError, parse_answers, score


def build_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("instrument", help="phq9, phq8, phq2, gad7, gad2, pcl5, pcptsd5 …")
    parser.add_argument(
        "--answers",
        required=True,
        help="comma-separated answer values in item order; an empty field is a missing answer",
    )
    parser.add_argument("--sex", choices=["m", "f"], help="needed where cut-offs differ by sex")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def run(instrument_id: str, answers_text: str, sex: str | None, as_json: bool) -> str:
    """The printed result; raises InstrumentError or ScoringError on bad input."""
    instrument = instruments.get(instrument_id.lower())
    result = score(instrument, parse_answers(answers_text), sex)
    if as_json:
        return json.dumps(result.as_dict(), ensure_ascii=False)
    lines = [
        f"{instrument.name}: total {'not scored' if result.total is None else result.total}",
    ]
    if result.band:
        lines.append(f"band: {result.band}")
    for name, value in result.subscales.items():
        lines.append(f"subscale {name}: {'—' if value is None else value}")
    lines.append(f"positive: {'yes' if result.positive else 'no'}")
    if result.flags:
        lines.append(f"flags: {', '.join(result.flags)}")
    lines.extend(f"  {reason}" for reason in result.reasons)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = build_parser(argparse.ArgumentParser(prog="waypoint wellbeing score"))
    args = parser.parse_args(argv)  # exits with status 2 on a usage error
    try:
        print(run(args.instrument, args.answers, args.sex, args.json))
    except (instruments.InstrumentError, ScoringError) as exc:
        print(f"waypoint wellbeing score: error: {exc}", file=sys.stderr)
        return 2
    return 0
