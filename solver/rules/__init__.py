"""Rule families of the roster model, one module each.

Every ``add_*`` function takes the model :class:`~solver.rules._context.Context`, adds its
constraints and returns its named penalty terms (as OR-Tools' ``shift_scheduling_sat.py`` does);
the objective is their sum.
"""
