"""Answers in the shared store: one submission stored once, counts, rows for admin and exports."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pandas as pd

from inclucities.i18n import LANGUAGES
from inclucities.store import layout as layouts
from inclucities.store.base import (
    CountRow,
    SubmissionCounts,
    SubmitResult,
    quote,
    utcnow,
)
from inclucities.store.sql_core import MAX_RECEIPT_HASH, SYNTHETIC_LANGS, Cursor, SQLCore, _framer
from inclucities.survey.models import AGREEMENT_LEVELS, LIST_TYPES, Question, Survey
from inclucities.survey.validation import InvalidSubmission, validate_answers


class AnswersSQL(SQLCore):
    """Answers: one submission stored once, the counts and the rows read back."""

    # -- submissions ----------------------------------------------------------------------------

    def _insert_once(self, cur: Cursor, table: str, insert: str, values: list[object]) -> bool:
        """Insert a submission unless its id is stored already (then False): the database's
        own guarantee, so a retry on another replica is stored once."""
        return cur.run(f"{insert} ON CONFLICT (submission_id) DO NOTHING", values) > 0

    def submit(
        self,
        submission_id: str,
        survey_id: str,
        survey_version: int,
        lang: str,
        answers: Mapping[str, object],
        *,
        session_id: str | None = None,
        receipt_hash: str | None = None,
        device: str | None = None,
    ) -> SubmitResult:
        survey = self.survey(survey_id)
        if not submission_id or len(submission_id) > 64:
            raise ValueError("submission_id must be 1 to 64 characters")
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language '{lang}'")
        if receipt_hash is not None and not 0 < len(receipt_hash) <= MAX_RECEIPT_HASH:
            raise ValueError(f"receipt_hash must be 1 to {MAX_RECEIPT_HASH} characters")
        result = validate_answers(survey, answers)
        if not result.ok:
            raise InvalidSubmission(result.errors)
        row, ideas = layouts.answer_row(survey, result.answers)
        insert = self._insert_sql[survey_id]
        table = quote(survey.table_name)
        now = utcnow()
        values = [submission_id, survey_version, lang, now, session_id, receipt_hash, *row]
        idea_rows = [
            [submission_id, survey_id, session_id, question_id, text, lang, now]
            for question_id, text in ideas
        ]

        def work(cur: Cursor) -> SubmitResult:
            if not self._answers_open(cur, survey_id, session_id):
                return SubmitResult.CLOSED
            if device and session_id and not self._first_from_device(cur, session_id, device):
                # this device answered the session already; unless this is that very answer
                # sent again (its reply lost), nothing is written
                stored = cur.one(f"SELECT 1 FROM {table} WHERE submission_id = ?", [submission_id])
                return SubmitResult.DUPLICATE if stored else SubmitResult.DEVICE_ANSWERED
            if not self._insert_once(cur, table, insert, values):
                return SubmitResult.DUPLICATE  # stored before (a retry, another replica)
            for idea in idea_rows:
                cur.run(
                    "INSERT INTO ideas (submission_id, survey_id, session_id, question_id, "
                    "text, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    idea,
                )
            return SubmitResult.STORED

        return self._do(work)

    @staticmethod
    def _first_from_device(cur: Cursor, session_id: str, device: str) -> bool:
        """In a session with one answer per device, note the device (False when it answered
        already there); in any other session, True with nothing written."""
        rule = cur.one(
            "SELECT one_answer_per_device FROM session_rules WHERE session_id = ?", [session_id]
        )
        if not rule or not rule[0]:
            return True
        noted = cur.run(
            "INSERT INTO session_devices VALUES (?, ?) ON CONFLICT DO NOTHING", [session_id, device]
        )
        return noted > 0

    def has_submission(self, submission_id: str) -> bool:
        tables = [s.table_name for s in self._surveys.values()]
        if not tables:
            return False
        sql = " UNION ALL ".join(
            f"SELECT 1 FROM {quote(t)} WHERE submission_id = ?" for t in tables
        )
        return bool(self._read_do(lambda cur: cur.rows(sql, [submission_id] * len(tables))))

    def count(self, survey_id: str, session_id: str | None = None) -> int:
        where, params = self._session_filter(session_id)
        sql = f"SELECT count(*) FROM {self._table(survey_id)} WHERE deleted_at IS NULL{where}"
        row = self._read_do(lambda cur: cur.one(sql, params))
        return int(row[0]) if row else 0

    def submission_counts(self, survey_id: str, session_id: str | None = None) -> SubmissionCounts:
        where, params = self._session_filter(session_id)
        sql = (
            "SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
            f"count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM {self._table(survey_id)} "
            f"WHERE true{where}"
        )
        row = self._read_do(lambda cur: cur.one(sql, params))
        if not row:
            return SubmissionCounts(0, 0)
        return SubmissionCounts(int(row[0] or 0), int(row[1] or 0))

    # -- synthetic rows ---------------------------------------------------------------------------

    def _pick(self, values: Sequence[str], index: str, enum_type: str | None) -> str:
        """values[index] as SQL, `index` a non-negative integer expression."""
        literal = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
        expr = f"(ARRAY[{literal}])[(({index}) % {len(values)} + 1)::INTEGER]"
        return f"{expr}::{quote(enum_type)}" if enum_type else expr

    def _synthetic_expressions(self, question: Question, salt: int) -> list[str]:
        values = list(AGREEMENT_LEVELS) if question.type == "agreement" else question.option_ids
        enum_type = layouts.enum_type_name(question.option_ids)
        h = self._hash_expr
        skip = "false" if question.required else f"{h(f'i * 104729 + {salt}')} % 10 < 2"
        if question.type in LIST_TYPES:
            width = question.max_selections or 1
            chosen = f"{h(f'i * 31 + {salt}')} % {width}"  # picks 1..width distinct options
            base = h(f"i * 7919 + {salt}")
            return [
                f"CASE WHEN {skip} OR {chosen} < {k} THEN NULL ELSE "
                f"{self._pick(values, f'{base} + {k}', enum_type)} END"
                for k in range(width)
            ]
        return [
            f"CASE WHEN {skip} THEN NULL ELSE "
            f"{self._pick(values, h(f'i * 7919 + {salt + n}'), enum_type)} END"
            for n, _ in enumerate(question.columns)
        ]

    def insert_synthetic(
        self,
        survey_id: str,
        count: int,
        start: int = 0,
        *,
        session_id: str | None = None,
        idea_every: int = 0,
    ) -> None:
        survey = self.survey(survey_id)
        layout = self._layouts[survey_id]
        columns: list[str] = []
        expressions: list[str] = []
        salt = 1
        for question in survey.questions:
            columns.extend(quote(column) for column, _item in question.columns)
            expressions.extend(self._synthetic_expressions(question, salt))
            salt += 17
        lang_type = layouts.enum_type_name(layout.languages)
        lang = self._pick(SYNTHETIC_LANGS, self._hash_expr("i * 7919 + 3"), None)
        now = utcnow()
        bounds = [start, start + count - 1]
        text_question = next((q for q in survey.questions if q.type == "text"), None)

        def work(cur: Cursor) -> None:
            cur.run(
                f"INSERT INTO {quote(layout.table)} (submission_id, survey_version, lang, "
                f"created_at, session_id, {', '.join(columns)}) "
                f"SELECT 'syn-' || i, ?, {lang}::{quote(lang_type)}, ?, ?, "
                f"{', '.join(expressions)} FROM {self._series()}",
                [survey.version, now, session_id, *bounds],
            )
            if idea_every > 0 and text_question is not None:
                cur.run(
                    "INSERT INTO ideas (submission_id, survey_id, session_id, question_id, text, "
                    f"lang, created_at) SELECT 'syn-' || i, ?, ?, ?, 'Synthetic idea ' || i, "
                    f"{lang}, ? FROM {self._series()} WHERE i % ? = 0",
                    [survey.id, session_id, text_question.id, now, *bounds, idea_every],
                )

        self._do(work, idempotent=False)

    # -- counts for the summaries --------------------------------------------------------------

    def answer_counts(self, survey_id: str, session_id: str | None = None) -> list[CountRow]:
        survey = self.survey(survey_id)
        rows = self._read_do(lambda cur: self._count_rows(cur, survey, session_id))
        return [
            CountRow(str(col), None if v is None else str(v), None if g is None else str(g), int(n))
            for col, v, g, n in rows
        ]

    # -- rows for the admin and exports ------------------------------------------------------------

    def _row_select(self, survey: Survey, deidentified: bool) -> tuple[list[str], list[object]]:
        """Select list (and its parameters) of one exported row per submission."""
        if deidentified:
            selects = ["CAST(r.created_at AS DATE) AS created_on"]
        else:
            selects = ["r.submission_id", "r.created_at"]
        selects += ["r.lang::VARCHAR AS lang", "r.survey_version", "r.session_id"]
        params: list[object] = []
        for question in survey.questions:
            if question.type == "text":
                selects.append(
                    "(SELECT string_agg(i.text, ' ') FROM ideas i WHERE i.submission_id = "
                    f"r.submission_id AND i.question_id = ?) AS {quote(question.id)}"
                )
                params.append(question.id)
                continue
            if question.type in LIST_TYPES:
                slots = ", ".join(f"r.{quote(c)}::VARCHAR" for c, _ in question.columns)
                selects.append(f"NULLIF(concat_ws(';', {slots}), '') AS {quote(question.id)}")
                continue
            for column, item in question.columns:
                label = question.id if item is None else f"{question.id}.{item}"
                selects.append(f"r.{quote(column)}::VARCHAR AS {quote(label)}")
        return selects, params

    @staticmethod
    def _deleted_filter(deleted: bool | None) -> str:
        if deleted is None:
            return ""
        return " AND r.deleted_at IS NOT NULL" if deleted else " AND r.deleted_at IS NULL"

    def responses_frame(
        self,
        survey_id: str,
        include_deleted: bool = False,
        *,
        session_id: str | None = None,
        deidentified: bool = False,
    ) -> pd.DataFrame:
        pages = list(
            self.iter_responses(
                survey_id,
                page_size=1_000_000_000,
                include_deleted=include_deleted,
                session_id=session_id,
                deidentified=deidentified,
            )
        )
        return pages[0]

    def responses_page(
        self,
        survey_id: str,
        *,
        offset: int = 0,
        limit: int = 50,
        deleted: bool | None = False,
        session_id: str | None = None,
    ) -> pd.DataFrame:
        survey = self.survey(survey_id)
        selects, params = self._row_select(survey, deidentified=False)
        session, session_params = self._session_filter(session_id, "r.")
        sql = (
            f"SELECT {', '.join(selects)}, r.deleted_at FROM {self._table(survey_id)} r "
            f"WHERE true{self._deleted_filter(deleted)}{session} "
            "ORDER BY r.seq DESC LIMIT ? OFFSET ?"
        )
        all_params = [*params, *session_params, limit, offset]
        return self._read_do(lambda cur: cur.frame(sql, all_params))

    def iter_responses(
        self,
        survey_id: str,
        *,
        page_size: int = 10_000,
        include_deleted: bool = False,
        session_id: str | None = None,
        deidentified: bool = False,
    ) -> Iterator[pd.DataFrame]:
        survey = self.survey(survey_id)
        selects, params = self._row_select(survey, deidentified)
        session, session_params = self._session_filter(session_id, "r.")
        where = f"WHERE true{self._deleted_filter(None if include_deleted else False)}{session}"
        if include_deleted and not deidentified:
            selects.append("r.deleted_at")
        table = self._table(survey_id)
        if deidentified:
            # rows within a day in hash order, so row order does not reveal arrival order
            keys = ["CAST(r.created_at AS DATE) AS _k1", "md5(r.submission_id) AS _k2"]
            order = "_k1, _k2"
            day = "CAST(r.created_at AS DATE)"
            after = f" AND ({day} > ? OR ({day} = ? AND md5(r.submission_id) > ?))"
        else:
            keys = ["r.seq AS _k1"]
            order = "_k1"
            after = " AND r.seq > ?"
        base = f"SELECT {', '.join(selects + keys)} FROM {table} r {where}"
        last: list[object] | None = None
        first = True
        while True:
            if last is None:
                sql = f"{base} ORDER BY {order} LIMIT ?"
                page_params = [*params, *session_params, page_size]
            else:
                sql = f"{base}{after} ORDER BY {order} LIMIT ?"
                page_params = [*params, *session_params, *last, page_size]
            frame = self._read_do(_framer(sql, page_params))
            if frame.empty and not first:
                return
            first = False
            if deidentified:
                tail = frame.iloc[-1] if len(frame) else None
                last = None if tail is None else [tail["_k1"], tail["_k1"], tail["_k2"]]
            else:
                last = None if frame.empty else [int(frame.iloc[-1]["_k1"])]
            keys_shown = [c for c in ("_k1", "_k2") if c in frame.columns]
            yield frame.drop(columns=keys_shown).reset_index(drop=True)
            if len(frame) < page_size:
                return
