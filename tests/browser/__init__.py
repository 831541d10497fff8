"""JupyterLab in a real (headless) Chromium: the tutorial as a learner sees it."""
