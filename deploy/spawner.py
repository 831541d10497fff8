"""``TutorialSpawner``: JupyterHub's LocalProcessSpawner (one Unix user per learner) with what the
tutorial needs around it.

- before the server starts: the learner's home made private (0700), the lessons copied into
  ``~/aws-mfa-tutorial`` on first spawn (as the learner), a control group with the learner's
  memory, CPU and process limits (``deploy/cgroups.py``), umask 077;
- the environment: the tutorial's runtime, ``TUTORIAL_DOWNLOADS_DIR`` in the learner's folder;
- after it stops (stopped by the learner, the trainer, the idle culler or a crash; JupyterHub
  runs the post-stop hook in every case): the learner's sandbox is stopped as the learner
  (``python -m helpers.sandbox stop``), then whatever is left in the learner's control group is
  ended. No sandbox outlives its server.
"""

from __future__ import annotations

import asyncio
import functools
import os
from pathlib import Path
from typing import Any

from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import maybe_future
from traitlets import Bool, Dict, Integer, Unicode

from deploy import cgroups
from deploy.learners import PRIVATE_UMASK, Learner, become, make_home_private, run_as


@functools.cache
def _cgroups_available(root: str) -> bool:
    return cgroups.available(Path(root))


class TutorialSpawner(LocalProcessSpawner):
    python = Unicode(help="The tutorial runtime's python (any user can run it).").tag(config=True)
    notebooks = Unicode(help="The original lesson notebooks, copied to each learner.").tag(
        config=True
    )
    runtime_environment = Dict(
        help="Variables the runtime needs in every learner process (e.g. LD_LIBRARY_PATH)."
    ).tag(config=True)
    pids_limit = Integer(512, help="Most processes and threads of one learner at once.").tag(
        config=True
    )
    cgroup_name = Unicode(cgroups.GROUP, help="Parent control group of the learners.").tag(
        config=True
    )
    cgroup_root = Unicode(
        str(cgroups.ROOT), help="Where the control groups are mounted (v1 or v2)."
    ).tag(config=True)
    use_cgroups = Bool(True, help="Limit each learner with a control group when possible.").tag(
        config=True
    )

    @property
    def learner(self) -> Learner:
        return Learner.named(self.user.name)

    @property
    def group(self) -> cgroups.LearnerGroup:
        return cgroups.LearnerGroup(
            self.user.name, group=self.cgroup_name, root=Path(self.cgroup_root)
        )

    def get_env(self) -> dict[str, Any]:
        env = super().get_env()
        learner = self.learner
        env.update(self.runtime_environment)
        env["TUTORIAL_DOWNLOADS_DIR"] = str(learner.downloads_dir)
        env["PATH"] = f"{os.path.dirname(self.python)}:{env.get('PATH', '/usr/bin:/bin')}"
        return env

    def make_preexec_fn(self, name: str):
        learner = self.learner
        group = self.group if self._cgroups_on() else None
        drop_root = become(learner, PRIVATE_UMASK)

        def preexec() -> None:
            if group is not None:
                group.join()  # still root here: join, then drop to the learner
            drop_root()

        return preexec

    def _cgroups_on(self) -> bool:
        return self.use_cgroups and _cgroups_available(self.cgroup_root)

    async def start(self) -> Any:
        learner = self.learner
        make_home_private(learner)
        # In a thread: the hub keeps serving the others while a learner's copy is made.
        await asyncio.to_thread(
            run_as,
            learner,
            [self.python, "-m", "deploy.learner_files", "install", self.notebooks],
            self.runtime_environment,
        )
        if self._cgroups_on():
            self.create_group()
        else:
            self.log.warning(
                "No control groups here: %s's server runs without limits", learner.name
            )
        return await super().start()

    def create_group(self) -> None:
        """The learner's control group with their limits (``mem_limit``, ``cpu_limit``,
        ``pids_limit``); their server joins it before it drops root."""
        self.group.create(
            self.mem_limit or None, self.cpu_limit or None, self.pids_limit or None
        )

    async def run_post_stop_hook(self) -> None:
        """JupyterHub calls this after every stop, also when it finds the server already gone
        (crashed, killed): the learner's sandbox and leftovers end here (in a thread, so the
        hub keeps serving the others)."""
        await asyncio.to_thread(self.end_learner_processes)
        await maybe_future(super().run_post_stop_hook())

    def end_learner_processes(self) -> None:
        """Stop the learner's sandbox cleanly, then end anything left in their group."""
        learner = self.learner
        try:
            stopped = run_as(
                learner,
                [self.python, "-m", "helpers.sandbox", "stop"],
                self.runtime_environment,
                timeout=30,
                check=False,
            )
            self.log.info(
                "%s's sandbox: %s", learner.name, (stopped.stdout + stopped.stderr).strip()
            )
        except Exception:  # noqa: BLE001 - the group below still ends it
            self.log.exception("Stopping %s's sandbox failed", learner.name)
        if self._cgroups_on():
            left = self.group.end_all()
            if left:
                self.log.info("Ended %d leftover process(es) of %s", len(left), learner.name)
