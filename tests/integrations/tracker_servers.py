"""Local stand-ins for GitHub's REST API, Jira Cloud's REST API v3 and Linear's GraphQL API,
on 127.0.0.1, answering the requests accord makes in the shapes their docs give.

Each refuses what the real service refuses: a wrong or missing credential (401, or Linear's
authentication error), a body of the wrong shape or with a field the docs do not list, an
unknown project, repository or team.  Faults on purpose: ``fail_next`` answers 500 to that
many requests before looking at them; ``drop_after_create`` makes that many issues and then
hangs up without answering, as a connection lost after the tracker acted would.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa

from accord.integrations.trackers.sync import SyncSettings
from accord.io.case_file import parse_case
from accord.model.case import Case
from accord.store import Store, repository
from accord.store.revisions import list_revisions
from accord.store.tables import CaseRecord, TrackerLink
from accord.store.trackers import ConnectorForm, save_connector

Answer = tuple[int, Any] | None  # None: hang up without answering


@dataclass
class FakeServer:
    port: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    fail_next: int = 0
    drop_after_create: int = 0
    _server: http.server.ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeServer:
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length) if length else b""
                answer = fake.dispatch(self.command, self.path, dict(self.headers.items()), body)
                if answer is None:
                    self.close_connection = True
                    return
                status, document = answer
                data = json.dumps(document).encode() if document is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _any  # noqa: N815 - the http.server names

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def dispatch(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        with self._lock:
            self.requests.append((method, target))
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500, {"message": "Internal error (on purpose)"}
            parts = urlsplit(target)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            try:
                document = json.loads(body) if body else None
            except ValueError:
                return self.refuse(400, {"message": "Problems parsing JSON"})
            answer = self.handle(method, unquote(parts.path), query, headers, document)
            if answer is not None and answer[0] >= 400:
                self.refused.append((answer[0], f"{method} {target}"))
            return answer

    def refuse(self, status: int, document: Any) -> Answer:
        return status, document

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        raise NotImplementedError

    def dropped(self) -> bool:
        """Whether this create's answer is to be lost (the issue is made all the same)."""
        if self.drop_after_create > 0:
            self.drop_after_create -= 1
            return True
        return False


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeGitHub(FakeServer):
    """https://docs.github.com/en/rest/issues/issues and
    https://docs.github.com/en/rest/repos/contents#create-or-update-file-contents"""

    token: str = "ghp_test"
    repo: str = "acme/roadmap"
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    CREATE_FIELDS = frozenset({"title", "body", "assignee", "milestone", "labels", "assignees"})
    PUT_FIELDS = frozenset({"message", "content", "sha", "branch", "committer", "author"})

    def close(self, number: int, reason: str = "completed") -> None:
        self.issues[number].update(state="closed", state_reason=reason, updated_at=_now())

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"message": "Bad credentials", "status": "401"}
        if headers.get("Accept") != "application/vnd.github+json":
            return 415, {"message": "Unsupported 'Accept' header"}
        if headers.get("X-GitHub-Api-Version", "2022-11-28") != "2022-11-28":
            return 400, {"message": "Unsupported API version"}
        base = f"/repos/{self.repo}"
        if not path.startswith(base):
            return 404, {"message": "Not Found"}
        rest = path[len(base) :]
        if rest == "" and method == "GET":
            return 200, {"full_name": self.repo, "permissions": {"push": True}}
        if rest == "/issues" and method == "POST":
            return self._create(body)
        if rest == "/issues" and method == "GET":
            return self._list(query)
        found = re.fullmatch(r"/issues/(\d+)", rest)
        if found and method == "GET":
            issue = self.issues.get(int(found.group(1)))
            return (200, issue) if issue else (404, {"message": "Not Found"})
        if rest.startswith("/contents/"):
            return self._contents(method, rest[len("/contents/") :], body)
        return 404, {"message": "Not Found"}

    def _create(self, body: Any) -> Answer:
        if not isinstance(body, dict) or not isinstance(body.get("title"), str | int):
            return 422, {"message": "Validation Failed", "errors": [{"field": "title"}]}
        unknown = set(body) - self.CREATE_FIELDS
        if unknown:
            return 422, {"message": "Validation Failed", "errors": sorted(unknown)}
        number = len(self.issues) + 1
        issue = {
            "id": 1000 + number,
            "number": number,
            "title": str(body["title"]),
            "body": body.get("body"),
            "state": "open",
            "state_reason": None,
            "html_url": f"https://github.com/{self.repo}/issues/{number}",
            "created_at": _now(),
            "updated_at": _now(),
        }
        self.issues[number] = issue
        return None if self.dropped() else (201, issue)

    def _list(self, query: dict[str, str]) -> Answer:
        if query.get("state", "open") not in ("open", "closed", "all"):
            return 422, {"message": "Validation Failed"}
        since = query.get("since", "")
        if since and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", since):
            return 422, {"message": "Validation Failed", "errors": ["since"]}
        wanted = query.get("state", "open")
        return 200, [
            i
            for i in self.issues.values()
            if (wanted == "all" or i["state"] == wanted) and i["updated_at"] >= since
        ]

    def _contents(self, method: str, path: str, body: Any) -> Answer:
        existing = self.files.get(path)
        if method == "GET":
            return (
                (200, {"path": path, **existing}) if existing else (404, {"message": "Not Found"})
            )
        if method != "PUT" or not isinstance(body, dict):
            return 404, {"message": "Not Found"}
        if set(body) - self.PUT_FIELDS or not {"message", "content"} <= set(body):
            return 422, {"message": "Validation Failed"}
        try:
            text = base64.b64decode(body["content"], validate=True).decode()
        except ValueError:
            return 422, {"message": "content is not valid Base64"}
        if existing and "sha" not in body:
            return 422, {"message": 'Invalid request. "sha" wasn\'t supplied.'}
        if existing and body["sha"] != existing["sha"]:
            return 409, {"message": f"{path} does not match {body['sha']}"}
        sha = uuid.uuid4().hex + "00000000"
        self.files[path] = {"sha": sha, "text": text, "message": body["message"]}
        html = f"https://github.com/{self.repo}/blob/main/{path}"
        return (200 if existing else 201), {"content": {"path": path, "sha": sha, "html_url": html}}


@dataclass
class FakeJira(FakeServer):
    """https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/"""

    email: str = "fran@example.org"
    token: str = "jira-token"
    project: str = "OPS"
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    comments: dict[str, list[Any]] = field(default_factory=dict)

    FIELDS = frozenset({"project", "summary", "issuetype", "description", "duedate", "labels"})

    def finish(self, key: str, category: str = "done") -> None:
        self.issues[key]["fields"]["status"] = {
            "name": {"done": "Done", "indeterminate": "In Progress"}.get(category, "To Do"),
            "statusCategory": {"key": category},
        }

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        sent = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
        if headers.get("Authorization") != f"Basic {sent}":
            return 401, {"errorMessages": ["You are not authenticated."], "errors": {}}
        api = "/rest/api/3"
        if path == f"{api}/myself":
            return 200, {"accountId": "5b10a2844c20165700ede21g", "displayName": "Fran"}
        if path == f"{api}/project/{self.project}":
            return 200, {"key": self.project, "name": "Operations"}
        if path == f"{api}/issue" and method == "POST":
            return self._create(body)
        if path == f"{api}/search/jql" and method == "GET":
            return self._search(query)
        found = re.fullmatch(rf"{api}/issue/([A-Z]+-\d+)(/comment)?", path)
        if found and found.group(1) in self.issues:
            key = found.group(1)
            if found.group(2) and method == "POST":
                if not isinstance(body, dict) or set(body) != {"body"} or not _adf(body["body"]):
                    return 400, {"errorMessages": ["Comment body is not valid ADF"], "errors": {}}
                self.comments.setdefault(key, []).append(body["body"])
                return 201, {"id": str(len(self.comments[key]))}
            if method == "GET":
                return 200, self.issues[key]
        return 404, {"errorMessages": ["Issue does not exist or you do not have permission"]}

    def _create(self, body: Any) -> Answer:
        if not isinstance(body, dict) or set(body) - {"fields", "update"}:
            return 400, {"errorMessages": ["Unrecognized field"], "errors": {}}
        fields = body.get("fields")
        if not isinstance(fields, dict):
            return 400, {"errorMessages": ["fields: required"], "errors": {}}
        errors = {
            name: f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
            for name in sorted(set(fields) - self.FIELDS)
        }
        if (fields.get("project") or {}).get("key") != self.project:
            errors["project"] = "valid project is required"
        if not isinstance(fields.get("summary"), str) or len(fields["summary"]) > 255:
            errors["summary"] = "You must specify a summary of the issue."
        if (fields.get("issuetype") or {}).get("name") not in ("Task", "Story", "Bug"):
            errors["issuetype"] = "valid issue type is required"
        if "description" in fields and not _adf(fields["description"]):
            errors["description"] = "Operation value must be an Atlassian Document (see ADF)."
        due = fields.get("duedate")
        if due is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(due)):
            errors["duedate"] = "Error parsing date string"
        labels = fields.get("labels", [])
        if not isinstance(labels, list) or any(" " in str(label) for label in labels):
            errors["labels"] = "The label must not contain spaces."
        if errors:
            return 400, {"errorMessages": [], "errors": errors}
        number = len(self.issues) + 1
        key = f"{self.project}-{number}"
        self.issues[key] = {
            "id": str(10000 + number),
            "key": key,
            "fields": {**fields, "status": {"name": "To Do", "statusCategory": {"key": "new"}}},
        }
        made = {"id": str(10000 + number), "key": key, "self": f"{self.url}/rest/api/3/issue/{key}"}
        return None if self.dropped() else (201, made)

    def _search(self, query: dict[str, str]) -> Answer:
        found = re.fullmatch(r'project = "([A-Z]+)" AND labels = "([\w-]+)"', query.get("jql", ""))
        if not found:
            return 400, {"errorMessages": ["Error in the JQL Query"], "errors": {}}
        project, label = found.groups()
        hits = [
            {"id": i["id"], "key": i["key"], "fields": {"status": i["fields"]["status"]}}
            for i in self.issues.values()
            if i["key"].startswith(project + "-") and label in i["fields"].get("labels", [])
        ]
        return 200, {"issues": hits, "isLast": True}


def _adf(document: Any) -> bool:
    """Whether ``document`` is an ADF doc of paragraphs of text nodes
    (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/)."""
    if not isinstance(document, dict) or document.get("type") != "doc":
        return False
    if document.get("version") != 1 or not isinstance(document.get("content"), list):
        return False
    for block in document["content"]:
        if not isinstance(block, dict) or block.get("type") != "paragraph":
            return False
        for node in block.get("content", []):
            if node.get("type") != "text" or not isinstance(node.get("text"), str):
                return False
            if not node["text"]:
                return False  # ADF refuses empty text nodes
    return True


@dataclass
class FakeLinear(FakeServer):
    """https://linear.app/developers/graphql (issueCreate, issue, commentCreate)"""

    key: str = "lin_api_test"
    team: str = "9cfb482a-81e3-4154-b5b9-2c805e70a02d"
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    comments: list[dict[str, Any]] = field(default_factory=list)

    CREATE_FIELDS = frozenset(
        {"id", "teamId", "title", "description", "dueDate", "assigneeId", "priority", "stateId"}
    )

    def set_state(self, identifier: str, state_type: str) -> None:
        for issue in self.issues.values():
            if issue["identifier"] == identifier:
                issue["state"] = {"type": state_type}

    def _error(self, message: str, status: int = 200) -> Answer:
        return status, {"errors": [{"message": message}], "data": None}

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        if path != "/graphql" or method != "POST":
            return 404, None
        if headers.get("Authorization") != self.key:
            return 400, {
                "errors": [
                    {
                        "message": "Authentication required, not authenticated",
                        "extensions": {"type": "authentication error"},
                    }
                ]
            }
        if not isinstance(body, dict) or set(body) - {"query", "variables", "operationName"}:
            return self._error("Must provide query string.", 400)
        text, variables = str(body.get("query", "")), body.get("variables") or {}
        if text.startswith("mutation IssueCreate("):
            return self._create(variables.get("input"))
        if text.startswith("query Issue("):
            issue = self._find(str(variables.get("id", "")))
            return (
                (200, {"data": {"issue": issue}})
                if issue
                else self._error("Entity not found: Issue")
            )
        if text.startswith("mutation CommentCreate("):
            made = variables.get("input") or {}
            if set(made) != {"issueId", "body"} or made["issueId"] not in self.issues:
                return self._error('Variable "$input" got invalid value', 400)
            self.comments.append(made)
            url = f"https://linear.app/acme/comment/{len(self.comments)}"
            return 200, {"data": {"commentCreate": {"success": True, "comment": {"url": url}}}}
        if text.startswith("query Check("):
            if variables.get("team") != self.team:
                return self._error("Entity not found: Team")
            return 200, {
                "data": {"viewer": {"name": "Fran"}, "team": {"key": "ENG", "name": "Eng"}}
            }
        return self._error("Cannot query field on type Query", 400)

    def _find(self, id_or_identifier: str) -> dict[str, Any] | None:
        for issue in self.issues.values():
            if id_or_identifier in (issue["id"], issue["identifier"]):
                return issue
        return None

    def _create(self, given: Any) -> Answer:
        if not isinstance(given, dict):
            return self._error('Variable "$input" of required type "IssueCreateInput!"', 400)
        for name in sorted(set(given) - self.CREATE_FIELDS):
            return self._error(f'Field "{name}" is not defined by type "IssueCreateInput".', 400)
        if given.get("teamId") != self.team:
            return self._error("Entity not found: Team")
        if not isinstance(given.get("title"), str):
            return self._error('Field "title" of required type "String!" was not provided.', 400)
        issue_id = str(given.get("id") or uuid.uuid4())
        if issue_id in self.issues:
            return self._error("Conflict: an issue with this id already exists")
        number = len(self.issues) + 1
        issue = {
            "id": issue_id,
            "identifier": f"ENG-{number}",
            "url": f"https://linear.app/acme/issue/ENG-{number}",
            "state": {"type": "unstarted"},
            "title": given["title"],
            "description": given.get("description"),
            "dueDate": given.get("dueDate"),
        }
        self.issues[issue_id] = issue
        if self.dropped():
            return None
        public = {k: issue[k] for k in ("id", "identifier", "url")}
        return 200, {"data": {"issueCreate": {"success": True, "issue": public}}}


# --- a case connected to a fake --------------------------------------------------------

CASE = Path(__file__).resolve().parents[2] / "examples" / "budget-workshop.yaml"
SERVER_KEY = "k" * 48


@dataclass
class Connected:
    store: Store
    case_id: int
    owner_id: int

    def settings(self, **changes: Any) -> SyncSettings:
        # retry_base 0: a failed attempt is due again at once, so a test needs no waiting.
        options: dict[str, Any] = {"allow_private": True, "retry_base": 0.0, **changes}
        return SyncSettings(server_key=SERVER_KEY, **options)

    def sync(self, **changes: Any) -> Any:
        from accord.integrations.trackers.sync import sync_all

        return sync_all(self.store, self.settings(**changes))

    def links(self) -> list[TrackerLink]:
        with self.store.session() as s:
            rows = list(s.scalars(sa.select(TrackerLink).order_by(TrackerLink.id)))
            s.expunge_all()
        return rows

    def case(self) -> Case:
        with self.store.session() as s:
            record = s.get(CaseRecord, self.case_id)
            assert record is not None
            return parse_case(record.source_text, path=record.source_name)

    def revisions(self) -> list[tuple[str, str]]:
        with self.store.session() as s:
            return [(r.author, r.summary) for r in list_revisions(s, self.case_id)]


def connect(tmp_path: Path, form: ConnectorForm, base_url: str) -> Connected:
    store = Store.from_url(f"sqlite:///{tmp_path / 'trackers.db'}", migrate=True)
    with store.session() as s:
        owner = repository.create_facilitator(s, "fac@example.org", "pw-long-enough", "F").id
        case_id = repository.save_case(s, owner, CASE.read_text(), CASE.name).id
        save_connector(s, SERVER_KEY, case_id, form, base_url)
    return Connected(store, case_id, owner)


def open_actions() -> list[str]:
    return [a.id for a in parse_case(CASE.read_text(), path=CASE.name).actions if not a.done]
