"""Assembling the CP-SAT roster model: candidate shifts, every rule family, locks and changes.

One boolean per candidate shift (employee x day x start x length x role, see
:mod:`solver._candidates`); each rule family of :mod:`solver.rules` adds its constraints and named
penalty terms, and the objective is their sum. The full solve and the neighbourhood re-solves of
a few people (:mod:`solver._by_employee`) build their models here, from the same rules.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver._candidates import Candidate, candidates_for, shift
from solver.problem import Assignment, LockedShift, Roster, RosterProblem
from solver.rules._context import Context, Term, objective_scale
from solver.rules.contracts import add_contracts
from solver.rules.coverage import add_coverage
from solver.rules.fairness import add_fairness
from solver.rules.requests import add_requests
from solver.rules.rest import add_rest

__all__ = ["build_model", "lock_text"]


def build_model(
    problem: RosterProblem,
    published: Roster | None,
    locks: tuple[int, ...],
    scale: int | None = None,
) -> tuple[Context, list[Term], list[cp_model.IntVar]]:
    """The model, its named objective terms and the guard literal of each active lock.

    ``locks`` are indices into ``problem.locked`` that are enforced (a lock that contradicts
    the rules is left out on the second try); ``published`` adds a price per changed shift.
    ``scale``: model objective units per currency unit (``Context.scale``); None: the least at
    which every term's price is whole (a model of a few people takes the whole model's, so that
    their objectives can be added).
    """
    model = cp_model.CpModel()
    cands: list[Candidate] = []
    for e in range(len(problem.employees)):
        cands.extend(candidates_for(problem, e))
    index = {emp.id: e for e, emp in enumerate(problem.employees)}
    by_hours: dict[tuple[int, int, int, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        by_hours[(c.employee, c.start, c.end, c.role)].append(i)
    lock_cands: dict[int, list[int]] = {}
    for k, lock in enumerate(problem.locked):
        who = index.get(lock.employee_id)
        if who is None:
            continue
        key = (who, lock.start_slot, lock.end_slot, lock.role)
        same = [i for i in by_hours[key] if lock.shift_type in (None, cands[i].kind)]
        if not same and k not in locks:  # a lock left out adds nothing: the rules hold
            continue
        if not same:  # hours the rules do not offer: the lock adds them
            same = [len(cands)]
            by_hours[key].append(len(cands))
            cands.append(
                shift(
                    problem,
                    who,
                    lock.day,
                    lock.start_slot,
                    lock.end_slot,
                    lock.role,
                    lock.shift_type,
                )
            )
        lock_cands[k] = same
    x = [model.new_bool_var(f"x[{c.employee},{c.day},{c.start},{c.end},{c.role}]") for c in cands]
    active = {k: same for k, same in lock_cands.items() if k in locks}
    ctx = Context(problem=problem, model=model, cands=cands, x=x, locks=active, by_hours=by_hours)
    for i, c in enumerate(cands):
        ctx.by_emp_day[(c.employee, c.day)].append(i)
    terms = add_contracts(ctx) + add_coverage(ctx) + add_rest(ctx) + add_fairness(ctx)
    terms += add_requests(ctx)
    lock_lits: list[cp_model.IntVar] = []
    for k, same in active.items():
        lock = problem.locked[k]
        who = cands[same[0]].employee
        lit = ctx.guard(lock_text(problem, problem.employees[who].name, lock), who)
        model.add(sum(x[i] for i in same) == 1).only_enforce_if(lit)
        lock_lits.append(lit)
    if published is not None:
        terms += _change_terms(ctx, published, index)
    ctx.scale = objective_scale(t.coefficient for t in terms) if scale is None else scale
    model.minimize(sum(int(round(t.coefficient * ctx.scale)) * t.variable for t in terms))
    return ctx, terms, lock_lits


def lock_text(problem: RosterProblem, name: str, lock: LockedShift) -> str:
    """A locked shift in words: ``the locked shift of Ann on day 2 (08:00-15:00)``."""
    base = lock.day * problem.slots_per_day

    def clock(slot: int) -> str:
        minutes = (slot - base) * problem.slot_minutes
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"

    times = f"{clock(lock.start_slot)}-{clock(lock.end_slot)}"
    return f"the locked shift of {name} on day {lock.day + 1} ({times})"


def _change_terms(ctx: Context, published: Roster, index: dict[str, int]) -> list[Term]:
    """One penalty per (employee, day) whose published shift is not kept exactly (a shift of
    someone no longer in the problem is a change that cannot be helped, as the checker counts
    it)."""
    before: dict[tuple[int, int], Assignment] = {}
    terms: list[Term] = []
    w = ctx.problem.weights.change
    for a in published.assignments:
        if a.employee_id in index:
            before[(index[a.employee_id], a.day)] = a
        else:
            terms.append(Term("changes", ctx.model.new_constant(1), w))
    for _ in before.keys() - ctx.by_emp_day.keys():  # that shift is no longer possible at all
        terms.append(Term("changes", ctx.model.new_constant(1), w))
    for (e, d), shifts in ctx.by_emp_day.items():
        old = before.get((e, d))
        if old is None:
            for i in shifts:  # a new shift on a day off
                terms.append(Term("changes", ctx.x[i], w))
            continue
        same = [
            i
            for i in shifts
            if (ctx.cands[i].start, ctx.cands[i].end, ctx.cands[i].role)
            == (old.start_slot, old.end_slot, old.role)
            and (old.shift_type is None or ctx.cands[i].kind == old.shift_type)
        ]
        kept = ctx.model.new_bool_var(f"kept[{e},{d}]")
        ctx.model.add(sum(ctx.x[i] for i in same) >= 1).only_enforce_if(kept)
        if not same:
            ctx.model.add(kept == 0)
        changed = ctx.model.new_bool_var(f"changed[{e},{d}]")
        ctx.model.add_bool_or([kept, changed])
        terms.append(Term("changes", changed, w))
    return terms
