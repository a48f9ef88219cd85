"""Seconds to import 10,000 jobseekers (and 120 employers) from the kind of file a municipal team
exports: ';'-separated Windows-1252 CSV with Dutch dates, 10% of them people we already know.
Preview and commit are timed apart, on a real SQLite file.

    python bench/people_import.py [--rows 10000]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    from eventtool.core.db import Database
    from eventtool.people.models import Jobseeker
    from eventtool.results import bulk_import
    from eventtool.core.vocab import REGIONS

    db = Database(f"sqlite:///{tempfile.mkdtemp(prefix='eventtool-bench-')}/bench.db")
    db.migrate()
    rng = random.Random(7)
    known = args.rows // 10
    db.write(lambda s: s.add_all([Jobseeker(name=f"Bekende {i}", email=f"persoon{i}@example.nl") for i in range(known)]))
    lines = ["Naam;E-mailadres;Telefoon;Regio;Toestemming;Toestemming datum;Doelgroep;Toestemming gezondheid"]
    for i in range(args.rows):
        lines.append(f"Persoon {i} van Dijk;persoon{i}@example.nl;06{rng.randint(20_000_000, 58_999_999)};"
                     f"{rng.choice(REGIONS)};ja;{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2025;"
                     f"{rng.choice(['Banenafspraak', 'Wajong', ''])};{rng.choice(['ja', 'nee'])}")
    content = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    employers = ["Organisatie;Contactpersoon;E-mailadres;Sectoren"] + [
        f"Bedrijf {i} B.V.;Contact {i};hr{i}@bedrijf{i}.nl;Zorg en welzijn" for i in range(120)]

    started = time.perf_counter()
    seen = db.read(bulk_import.preview, content, "klanten.csv", "jobseekers")
    preview = time.perf_counter() - started
    started = time.perf_counter()
    result = db.write(bulk_import.commit, content, "klanten.csv", "jobseekers", [], "bench")
    commit = time.perf_counter() - started
    print(f"jobseekers: {args.rows} rows ({len(seen.new)} new, {len(seen.known)} known, {len(seen.problems)} problems)")
    print(f"  preview {preview:.2f} s, commit (reads the file again) {commit:.2f} s: created {result.created}, "
          f"skipped {result.skipped}")
    started = time.perf_counter()
    result = db.write(bulk_import.commit, "\r\n".join(employers).encode(), "werkgevers.csv", "employers", [], "bench")
    print(f"employers: 120 rows, commit {time.perf_counter() - started:.2f} s: created {result.created}")
    started = time.perf_counter()
    db.write(bulk_import.undo_last, db.read(bulk_import.last_batch).id)
    print(f"undo of the employers' import {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
