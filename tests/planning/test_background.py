"""Planning in a process of its own: progress as it goes, a stop that returns the best plan so
far within a moment, and a valid plan at the end."""
import time

from eventtool.planning import background, generate, plan, violations


def test_progress_and_a_stop_that_keeps_the_best_plan_so_far():
    inst = generate.generate(400, 30, 8, seed=3, hard=True)
    run = background.Run(inst, 60)
    deadline = time.monotonic() + 30
    while run.progress.total is None and time.monotonic() < deadline:
        time.sleep(0.05)
    seen = run.progress
    assert seen.total is not None and seen.bound >= seen.total
    stopped_at = time.monotonic()
    run.stop()
    assert run.wait(10)
    assert time.monotonic() - stopped_at < 3  # not the 60 s it was given
    assert run.error is None and run.result.total >= seen.total
    assert violations(inst, run.result.meetings) == []
    assert run.result.seconds < 30


def test_left_alone_it_gives_the_plan_the_planner_gives():
    inst = generate.generate(40, 6, 4, seed=5)
    run = background.Run(inst, 5)
    assert run.wait(60) and run.error is None
    direct = plan(inst, time_limit=5)
    assert run.result.total == direct.total and run.result.optimal == direct.optimal
    assert violations(inst, run.result.meetings) == []
    assert run.progress.total == run.result.total or run.progress.step != "start"


def test_a_child_that_dies_is_an_error_not_a_hang():
    inst = generate.generate(400, 30, 8, seed=3, hard=True)
    run = background.Run(inst, 60)
    run._process.kill()
    assert run.wait(10)
    assert run.result is None and run.error.startswith("exit code -9")
