"""AWS's rules for names, passwords and aliases, as plain functions with no AWS calls.

The forms use them to check input as the learner types; each returns the list of rules the
value breaks, in words a learner can act on (empty when the value is fine).
"""
