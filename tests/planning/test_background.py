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


def test_the_childs_start_comes_off_its_planning_time(monkeypatch, capsys):
    """The app's limit counts from when it asked: the child's own start (imports, reading the
    instance) comes off its planning time. Past the deadline it still hands back its first plan."""
    import io
    import json
    import sys

    from eventtool.planning import solver
    inst = generate.generate(200, 12, 6, seed=5, hard=True)
    given = []
    real = solver.plan

    def spy(instance, time_limit, watch=None):
        given.append(time_limit)
        return real(instance, time_limit=time_limit, watch=watch)
    monkeypatch.setattr(solver, "plan", spy)
    for deadline in (time.time() + 2.0, time.time() - 1.0):
        monkeypatch.setattr(sys, "argv", ["background", "30", repr(deadline)])
        monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(inst.to_json()) + "\n"))
        background._main()
    assert 0 < given[0] <= 2.0 - background.HAND_BACK_SECONDS and given[1] == 0.0
    last = [json.loads(line) for line in capsys.readouterr().out.splitlines()][-1]
    assert violations(inst, [background.Meeting(*m) for m in last["plan"]["meetings"]]) == []
