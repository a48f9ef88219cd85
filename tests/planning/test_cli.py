"""The command line of ../shared/speedmeet-format.md, run as a real process."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventtool.planning import objective, read_schedule, violations
from eventtool.planning.generate import generate

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "eventtool", "plan-speedmeet", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_plans_an_instance_and_writes_the_schedule(tmp_path):
    inst = generate(120, 20, 6, seed=3)
    src = tmp_path / "instance.json"
    src.write_text(json.dumps(inst.to_json()), encoding="utf-8")
    out = tmp_path / "schedule.csv"
    proc = run(src, "--out", out, "--time-limit", "5")
    assert proc.returncode == 0, proc.stderr
    summary = proc.stdout.strip()
    assert summary.count("\n") == 0
    fields = dict(part.split("=") for part in summary.split())
    meetings = read_schedule(out.read_text(encoding="utf-8"))
    assert int(fields["meetings"]) == len(meetings)
    assert int(fields["total"]) == objective(inst, meetings)
    assert fields["optimal"] in ("yes", "no") and float(fields["seconds"]) >= 0
    assert violations(inst, meetings) == []


def test_any_unicode_ids_survive_the_csv(tmp_path):
    weird = ["Zoë", "李", "a,b", 'quote "q"', "line\nbreak", "=1+1", " spaced "]
    data = {"rounds": 2, "coverage_bonus": 1,
            "employers": [{"id": w, "tables": 1} for w in weird],
            "jobseekers": [{"id": f"J-{w}", "preferences": {w: 3}} for w in weird]}
    src = tmp_path / "i.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "s.csv"
    assert run(src, "--out", out).returncode == 0
    meetings = read_schedule(out.read_text(encoding="utf-8"))
    assert sorted((m.jobseeker_id, m.employer_id) for m in meetings) == sorted((f"J-{w}", w) for w in weird)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["jobseeker_id", "employer_id", "round"]


@pytest.mark.parametrize("content,needle", [
    ("{not json", "not valid JSON"),
    ('{"rounds": 2, "employers": [], "jobseekers": [{"id": "J", "preferences": {"X": 1}}]}', "unknown employer"),
    ('{"rounds": -1, "employers": [], "jobseekers": []}', "rounds must be >= 1"),
    ('{"rounds": 2, "employers": [{"id": "E", "tables": -2}], "jobseekers": []}', "tables must be >= 1"),
])
def test_malformed_input_exits_non_zero_with_one_line(tmp_path, content, needle):
    src = tmp_path / "bad.json"
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "s.csv"
    proc = run(src, "--out", out)
    assert proc.returncode != 0
    assert needle in proc.stderr and proc.stderr.strip().count("\n") == 0
    assert not out.exists()


def test_missing_file_and_bad_time_limit(tmp_path):
    assert run(tmp_path / "nope.json", "--out", tmp_path / "s.csv").returncode != 0
    src = tmp_path / "i.json"
    src.write_text('{"rounds": 1, "employers": [], "jobseekers": []}')
    proc = run(src, "--out", tmp_path / "s.csv", "--time-limit", "-1")
    assert proc.returncode != 0 and "time-limit" in proc.stderr
    proc = run(src, "--out", tmp_path / "s.csv")
    assert proc.returncode == 0 and "meetings=0" in proc.stdout


def test_the_time_limit_is_for_the_whole_command(tmp_path, monkeypatch):
    """--time-limit counts from the command's start: the imports and reading (half a second or
    more for 5,000 people) and a margin for writing come off the planner's own limit, so the
    process ends within the limit. With less time than the imports took, the planner still hands
    back its first plan."""
    import eventtool.__main__ as cli
    from eventtool import planning
    inst = generate(300, 20, 6, seed=3, hard=True)
    src = tmp_path / "instance.json"
    src.write_text(json.dumps(inst.to_json()), encoding="utf-8")
    given = []
    real = planning.plan

    def spy(instance, time_limit):
        given.append(time_limit)
        return real(instance, time_limit=time_limit)
    monkeypatch.setattr(planning, "plan", spy)
    assert cli.main(["plan-speedmeet", str(src), "--out", str(tmp_path / "a.csv"), "--time-limit", "3"]) == 0
    assert 0 < given[-1] <= 3 - cli.FINISH_SECONDS  # (called in-process: the clock starts with main())
    started = cli.time.perf_counter() - 1.0  # as if the imports took a second
    assert cli.main(["plan-speedmeet", str(src), "--out", str(tmp_path / "b.csv"), "--time-limit", "0.5"],
                    started=started) == 0
    assert given[-1] == 0.0
    assert violations(inst, read_schedule((tmp_path / "b.csv").read_text(encoding="utf-8"))) == []
