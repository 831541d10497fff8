"""Lesson-specific glue for the notebooks: widget callbacks, small builders, clean-up."""
