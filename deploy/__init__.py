"""Workshop mode: the tutorial for a whole class on one JupyterHub (docs/workshop.md).

One Unix user per learner, each with their own notebooks, state folder and sandbox; a class view
for the trainer; a command that resets one learner.
"""
