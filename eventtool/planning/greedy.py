"""A plain greedy planner, round by round: the benchmark's baseline."""
from __future__ import annotations

from .instance import Instance, Meeting
from .solver import _State


def plan_greedy(inst: Instance) -> list[Meeting]:
    st = _State(inst)
    for m in inst.locked:
        st.place(inst.jobseeker_by_id[m.jobseeker_id], inst.employer_by_id[m.employer_id], m.round)
    for r in range(inst.rounds):
        # Those with fewest meetings choose first; each takes their best employer still free.
        for j in sorted(inst.jobseekers, key=lambda j: (st.count(j.id), j.id)):
            best = max((inst.employer_by_id[eid] for eid in j.preferences
                        if st.can_place(j, inst.employer_by_id[eid], r)),
                       key=lambda e: j.preferences[e.id], default=None)
            if best is not None:
                st.place(j, best, r)
    return st.meetings()
