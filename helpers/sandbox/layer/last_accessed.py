"""Service last accessed data (IAM's access advisor), from the calls the sandbox has seen.

AWS (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_ServiceLastAccessed.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_TrackedActionLastAccessed.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html):
``GenerateServiceLastAccessedDetails`` starts a report job for a user, group, role or managed
policy and answers its ``JobId``; ``GetServiceLastAccessedDetailsWithEntities`` lists the
report's entities for one service, most recent use first
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetailsWithEntities.html);
``GetServiceLastAccessedDetails`` answers the report: every
service the entity's permissions policies allow, each with when an authenticated entity last
used it (``LastAuthenticated``), which one (``LastAuthenticatedEntity``), from which region,
and how many of the report's entities used it (``TotalAuthenticatedEntities``); services never
used have no date. With ``Granularity=ACTION_LEVEL``, services whose actions IAM tracks (IAM,
EC2, Lambda, S3) also list ``TrackedActionsLastAccessed``. moto answers none of them (HTTP 500).

What the sandbox records (``record``, called by ``app.py`` after each successful answer): for
each call signed by an IAM user (its access key, or a session of the user), the service's
namespace, the time, the region of the signature and the action. The root user is not an IAM
entity and is not recorded (AWS reports only IAM entities); roles are never recorded (the
sandbox's callers are root, users and users' sessions).

The report's entities: a user itself; a group's members; a role itself; a managed policy's
users, groups' members and roles. The services: those the entity's identity policies (a user's
own and its groups', a group's, a role's, the policy itself; ``principals.py``) allow in some
``Allow`` statement: an ``Action`` whose service part matches the namespace (wildcards), or a
``NotAction`` that does not exclude the whole service. ``Deny`` statements, conditions and
resources are not looked at (AWS: "It only applies permissions policy logic"). Until requests
are authorized by policies, a service the entities used is listed too even when no policy
allows it. Wildcard service parts are expanded over ``service_names.py`` (botocore's services).

Jobs complete at once: ``JobStatus`` is ``COMPLETED`` on the first ``Get`` (AWS: may be
``IN_PROGRESS`` for a while), and the report is computed when the job is generated. AWS's
tracking period (400 days) never matters in a sandbox. A tracked service lists only the actions
that were used (AWS also lists its tracked actions never used, with no date).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from helpers.sandbox.constants import ACCOUNT_ID
from helpers.sandbox.layer import moto_state, principals
from helpers.sandbox.layer.evaluation import Policy, like
from helpers.sandbox.layer.identity import iso, user_arn, utc_now
from helpers.sandbox.layer.registry import Call, after, before, on_reset
from helpers.sandbox.layer.service_names import SERVICE_NAMES
from helpers.sandbox.layer.wire import AwsError, Caller, Response, xml_fields, xml_response

TRACKED_ACTION_SERVICES = ("ec2", "iam", "lambda", "s3")
SERVICE_LEVEL, ACTION_LEVEL = "SERVICE_LEVEL", "ACTION_LEVEL"
_ENTITY_ARN = re.compile(
    r"arn:aws:iam::(?P<account>\d{12}|aws):(?P<kind>user|group|role|policy)(?P<path>/(?:.*/)?)"
    r"(?P<name>[^/]+)"
)


@dataclass
class Use:
    """The last use of something by one entity."""

    when: dt.datetime
    region: str


@dataclass
class EntityUses:
    services: dict[str, Use] = field(default_factory=dict)  # namespace -> last use
    actions: dict[tuple[str, str], Use] = field(default_factory=dict)  # (namespace, action)


@dataclass
class Job:
    job_id: str
    granularity: str
    created: dt.datetime
    services: list[dict]  # one ServiceLastAccessed each, computed when generated
    entities: list[dict] = field(default_factory=list)  # one EntityInfo per entity covered
    # namespace -> entity ARN -> its last use, for GetServiceLastAccessedDetailsWithEntities
    last_used: dict[str, dict[str, dt.datetime]] = field(default_factory=dict)


# The module's whole state: what each entity used, and the jobs generated.
USES: dict[str, EntityUses] = {}  # IAM user name -> uses (only users are recorded)
JOBS: dict[str, Job] = {}
_LOCK = threading.Lock()


@on_reset
def forget() -> None:
    with _LOCK:
        USES.clear()
        JOBS.clear()


def entity_of(caller: Caller) -> str | None:
    """The IAM user behind a caller, by name; None for root and anonymous calls."""
    if caller.kind in ("user", "session") and caller.user_name:
        return caller.user_name
    return None


def record(caller: Caller, service_prefix: str, action_name: str, region: str) -> None:
    """Remember one successful authenticated call by an IAM user (or a session of one)."""
    entity = entity_of(caller)
    if entity is None or not service_prefix:
        return
    use = Use(utc_now(), region)
    namespace = service_prefix.lower()
    with _LOCK:
        uses = USES.setdefault(entity, EntityUses())
        uses.services[namespace] = use
        if action_name:
            uses.actions[(namespace, action_name)] = use


@after("iam", "DeleteUser")
def forget_user(call: Call, response: Response) -> Response:
    """A deleted user's history goes with it (a new user of that name starts afresh)."""
    with _LOCK:
        USES.pop(call.param("UserName") or "", None)
    return response


@after("iam", "UpdateUser")
def follow_rename(call: Call, response: Response) -> Response:
    """A renamed user keeps its history."""
    old, new = call.param("UserName"), call.param("NewUserName")
    if old and new and old != new:
        with _LOCK:
            if old in USES:
                USES[new] = USES.pop(old)
    return response


# --- what a report covers ----------------------------------------------------------------------


def _no_such(kind: str, arn: str) -> AwsError:
    return AwsError("NoSuchEntity", f"The {kind} with ARN {arn} cannot be found.")


def entities_and_policies(arn: str) -> tuple[list[str], list[Policy]]:
    """The entities whose use a report on ``arn`` counts (user names; a role's ARN, never
    recorded), and the identity policies it reads."""
    found = _ENTITY_ARN.fullmatch(arn)
    if found is None or found["account"] not in (ACCOUNT_ID, "aws"):
        raise AwsError("InvalidInput", f"ARN {arn} is not a user, group, role or policy ARN.")
    kind, name = found["kind"], found["name"]
    if kind == "user":
        policies = principals.user_policies(name)
        if policies is None or found["account"] != ACCOUNT_ID:
            raise _no_such("user", arn)
        return [name], policies.identity
    if kind == "group":
        group = moto_state.group(name)
        policies = principals.group_policies(name)
        if group is None or policies is None:
            raise _no_such("group", arn)
        return [member.name for member in group.users], policies.identity
    if kind == "role":
        role = moto_state.role(name)
        policies = principals.role_policies(name)
        if role is None or policies is None:
            raise _no_such("role", arn)
        return [role.arn], policies.identity
    policy = moto_state.managed_policy(arn)
    document = moto_state.default_document(policy) if policy is not None else None
    if document is None:
        raise _no_such("policy", arn)
    holder = principals.PrincipalPolicies()
    parsed = holder.add(document, policy.name, "managed")
    entities: list[str] = []
    for entity in moto_state.entities_with_policy(arn):
        members = getattr(entity, "users", None)  # a group: its members
        if members is not None:
            entities.extend(member.name for member in members)
        elif moto_state.user(entity.name) is entity:
            entities.append(entity.name)
        else:
            entities.append(entity.arn)  # a role
    return sorted(set(entities)), [parsed]


def allowed_services(policies: list[Policy]) -> set[str]:
    """The namespaces some Allow statement grants (Action's service part, or a NotAction that
    leaves part of the service allowed)."""
    allowed: set[str] = set()
    for policy in policies:
        for statement in policy.statements:
            if statement.effect != "Allow":
                continue
            if statement.actions is not None:
                for action in statement.actions:
                    allowed |= _services_matching(action.split(":", 1)[0])
            elif statement.not_actions is not None:
                excluded = {
                    action.split(":", 1)[0].lower()
                    for action in statement.not_actions
                    if action.split(":", 1)[-1] == "*"
                }
                allowed |= {name for name in SERVICE_NAMES if name not in excluded}
    return allowed


def _services_matching(service_part: str) -> set[str]:
    if "*" not in service_part and "?" not in service_part:
        return {service_part.lower()}
    return {name for name in SERVICE_NAMES if like(service_part, name, ignore_case=True)}


def entity_info(entity: str) -> dict:
    """An EntityInfo: a user (by name) or a role (by ARN)."""
    if entity.startswith("arn:"):
        role = moto_state.role(entity.rsplit("/", 1)[-1])
        if role is not None:
            return {"Arn": role.arn, "Name": role.name, "Type": "ROLE", "Id": role.id,
                    "Path": role.path}  # fmt: skip
        return {"Arn": entity, "Name": entity.rsplit("/", 1)[-1], "Type": "ROLE", "Id": ""}
    user = moto_state.user(entity)
    info = {"Arn": user_arn(entity), "Name": entity, "Type": "USER"}
    return {**info, "Id": user.id, "Path": user.path} if user is not None else {**info, "Id": ""}


def new_job(arn: str, granularity: str) -> Job:
    """A report job on ``arn``, computed now (AWS's jobs take a while; the sandbox's do not)."""
    entities, _ = entities_and_policies(arn)
    job = Job(str(uuid.uuid4()), granularity, utc_now(), report(arn, granularity))
    job.entities = [entity_info(entity) for entity in entities]
    with _LOCK:
        for entity in entities:
            uses = None if entity.startswith("arn:") else USES.get(entity)  # roles: never used
            for namespace, use in (uses.services if uses else {}).items():
                job.last_used.setdefault(namespace, {})[user_arn(entity)] = use.when
        JOBS[job.job_id] = job
    return job


def report(arn: str, granularity: str) -> list[dict]:
    """The report's services, each a ServiceLastAccessed as a dict, sorted by namespace."""
    entities, policies = entities_and_policies(arn)
    with _LOCK:
        uses = {entity: USES[entity] for entity in entities if entity in USES}
    used = {namespace for entity_uses in uses.values() for namespace in entity_uses.services}
    services = []
    for namespace in sorted(allowed_services(policies) | used):
        users = [
            (use, entity)
            for entity, entity_uses in uses.items()
            if (use := entity_uses.services.get(namespace)) is not None
        ]
        entry: dict = {
            "ServiceName": SERVICE_NAMES.get(namespace, namespace),
            "ServiceNamespace": namespace,
            "TotalAuthenticatedEntities": len(users),
        }
        if users:
            last, entity = max(users, key=lambda pair: pair[0].when)
            entry.update(
                LastAuthenticated=last.when,
                LastAuthenticatedEntity=user_arn(entity),
                LastAuthenticatedRegion=last.region,
            )
        if granularity == ACTION_LEVEL and namespace in TRACKED_ACTION_SERVICES:
            entry["TrackedActionsLastAccessed"] = _tracked_actions(namespace, uses)
        services.append(entry)
    return services


def _tracked_actions(namespace: str, uses: dict[str, EntityUses]) -> list[dict]:
    latest: dict[str, tuple[Use, str]] = {}
    for entity, entity_uses in uses.items():
        for (service, action), use in entity_uses.actions.items():
            if service == namespace and (action not in latest or use.when > latest[action][0].when):
                latest[action] = (use, user_arn(entity))
    return [
        {
            "ActionName": action,
            "LastAccessedEntity": entity,
            "LastAccessedTime": use.when,
            "LastAccessedRegion": use.region,
        }
        for action, (use, entity) in sorted(latest.items())
    ]


# --- the API ---------------------------------------------------------------------------------


@before("iam", "GenerateServiceLastAccessedDetails")
def generate(call: Call) -> Response:
    job = new_job(call.param("Arn") or "", call.param("Granularity") or SERVICE_LEVEL)
    return xml_response("iam", "GenerateServiceLastAccessedDetails", xml_fields(JobId=job.job_id))


def _job(call: Call) -> Job:
    job_id = call.param("JobId") or ""
    with _LOCK:
        job = JOBS.get(job_id)
    if job is None:
        raise AwsError("NoSuchEntity", f"The job with ID {job_id} cannot be found.")
    return job


def _page(call: Call, rows: list) -> tuple[list, str]:
    """``MaxItems`` / ``Marker`` (the model's checks made MaxItems 1-1000): the page, and the
    ``IsTruncated`` / ``Marker`` elements."""
    marker = call.param("Marker") or "0"
    start = int(marker) if marker.isdigit() else 0
    size = int(call.param("MaxItems") or 100)
    truncated = start + size < len(rows)
    tail = f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"
    return rows[start : start + size], tail + (
        f"<Marker>{start + size}</Marker>" if truncated else ""
    )


def _job_dates(job: Job) -> str:
    return (
        f"<JobStatus>COMPLETED</JobStatus><JobCreationDate>{iso(job.created)}</JobCreationDate>"
        f"<JobCompletionDate>{iso(job.created)}</JobCompletionDate>"
    )


def _xml(value: object) -> str:
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _members(rows: list[dict]) -> str:
    parts = []
    for row in rows:
        inner = []
        for key, value in row.items():
            if isinstance(value, list):
                inner.append(f"<{key}>{_members(value)}</{key}>")
            elif isinstance(value, dict):
                fields = "".join(f"<{k}>{_xml(v)}</{k}>" for k, v in value.items())
                inner.append(f"<{key}>{fields}</{key}>")
            else:
                inner.append(f"<{key}>{_xml(value)}</{key}>")
        parts.append(f"<member>{''.join(inner)}</member>")
    return "".join(parts)


@before("iam", "GetServiceLastAccessedDetails")
def get(call: Call) -> Response:
    job = _job(call)
    page, tail = _page(call, job.services)
    text = (
        f"{_job_dates(job)}<JobType>{job.granularity}</JobType>"
        f"<ServicesLastAccessed>{_members(page)}</ServicesLastAccessed>{tail}"
    )
    return xml_response("iam", "GetServiceLastAccessedDetails", text)


@before("iam", "GetServiceLastAccessedDetailsWithEntities")
def get_with_entities(call: Call) -> Response:
    """The report's entities for one service, most recent use first, then those that never
    used it (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetailsWithEntities.html)."""
    job = _job(call)
    used = job.last_used.get((call.param("ServiceNamespace") or "").lower(), {})
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    ordered = sorted(job.entities, key=lambda info: used.get(info["Arn"], never), reverse=True)
    rows = []
    for info in ordered:
        row: dict = {"EntityInfo": info}
        if info["Arn"] in used:
            row["LastAuthenticated"] = used[info["Arn"]]
        rows.append(row)
    page, tail = _page(call, rows)
    text = f"{_job_dates(job)}<EntityDetailsList>{_members(page)}</EntityDetailsList>{tail}"
    return xml_response("iam", "GetServiceLastAccessedDetailsWithEntities", text)
