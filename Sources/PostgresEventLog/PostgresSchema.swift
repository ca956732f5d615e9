internal import EventLog
internal import Foundation

/// The SQL of the store's schema `chronicle`, format 2, and of the roles `chronicle init` creates.
///
/// Tables: `meta` (key → value: `format`, `tag_position`, `tag_scheme`), `head` (one row: seq, hash,
/// recorded_at), `events` (one row per event, the envelope's fields as columns), `event_tags` (seq → the
/// event's distinct tags, sorted, as a `text[]` with a GIN index; no row for an event without tags),
/// `checkpoints` (name → position, state), `subject_keys` (subject → key) and `recording_scopes` (role →
/// scope). `events`, `head` and `event_tags` are written only by the SECURITY DEFINER functions below, which run
/// as the schema's owner: `lock_head`, `append_events` (recorders), `reset_tags` / `add_tags` (recorders,
/// for the tag index, a cache) and `restore_events` (admins). Nobody else holds INSERT, UPDATE, DELETE or
/// TRUNCATE on them, and a trigger refuses UPDATE, DELETE and TRUNCATE of `events` to anyone but a superuser.
enum PostgresSchema {
    /// The format this build reads and writes (the `format` row of `chronicle.meta`). Format 1 kept the tag
    /// index as a row per tag and event (`chronicle.tags (tag, seq)`); format 2 keeps one row per event with
    /// its tags as an array (`chronicle.event_tags`): 6.5 times fewer rows in the generated histories, and a
    /// GIN index whose pending list takes an append's tags in one sorted pass where the B-tree took each
    /// row at a random leaf. Opening a format-1 store upgrades it (``PostgresEventStore`` `upgradeFormat`).
    static let format: UInt32 = 2

    /// The tag prefix that names a recording scope: an event tagged `in/<scope>` belongs to scope `<scope>`.
    /// (Collaboratives tags every event naming collaborative C with `in/C`, so a scope is a collaborative.)
    /// A role with scope rows may record only events that carry at least one such tag, all of granted scopes.
    static let scopeTagPrefix = "in/"

    /// SQLSTATEs the functions raise (class `CR`, Chronicle's own), mapped to ``EventLogError`` by the store.
    enum State {
        /// The clock is more than ``ClockTolerance/behindHead`` behind the head; DETAIL is `clock head` in µs.
        static let clockBehindHead = "CR001"
        /// An event names a scope the role may not record for; DETAIL is its place in the call, from 1 (since
        /// `append_events` revision 6).
        static let scopeRefused = "CR002"
        /// A restored event does not continue the log; DETAIL is its seq.
        static let restoreMismatch = "CR003"
        /// An UPDATE, DELETE or TRUNCATE of `events` by someone other than a superuser.
        static let appendOnly = "CR005"
    }

    /// The three group roles of database `database`, by access.
    static func role(_ access: PostgresEventStore.Access, database: String) -> String {
        "\(database)_\(access.rawValue)"
    }

    /// `name` as a quoted SQL identifier.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a quoted SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The statements that create the schema in an empty database, in order, run in one transaction (after
    /// the roles exist). `owner` is the user running init.
    static func creation(database: String) -> [String] {
        let reader = identifier(role(.reader, database: database))
        let recorder = identifier(role(.recorder, database: database))
        let admin = identifier(role(.admin, database: database))
        return [
            "CREATE SCHEMA chronicle",
            "REVOKE ALL ON SCHEMA chronicle FROM PUBLIC",
            "CREATE TABLE chronicle.meta (key text COLLATE \"C\" PRIMARY KEY, value text NOT NULL)",
            "INSERT INTO chronicle.meta VALUES ('format', '\(format)'), ('tag_position', '0')",
            """
            CREATE TABLE chronicle.head (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                seq bigint NOT NULL, hash bytea NOT NULL, recorded_at bigint)
            """,
            "INSERT INTO chronicle.head VALUES (true, 0, decode(repeat('00', 32), 'hex'), NULL)",
            """
            CREATE TABLE chronicle.events (
                seq bigint PRIMARY KEY CHECK (seq > 0),
                id uuid NOT NULL UNIQUE,
                stream text COLLATE "C" NOT NULL,
                stream_version bigint NOT NULL CHECK (stream_version > 0),
                type text COLLATE "C" NOT NULL,
                schema_version integer NOT NULL,
                occurred_kind smallint NOT NULL,
                occurred_value bigint NOT NULL,
                occurred_sort bigint NOT NULL,
                recorded_at bigint NOT NULL,
                recorded_by text COLLATE "C" NOT NULL,
                payload bytea NOT NULL,
                hash bytea NOT NULL,
                UNIQUE (stream, stream_version))
            """,
            "CREATE INDEX events_type ON chronicle.events (type, seq)",
            "CREATE INDEX events_occurred ON chronicle.events (occurred_sort, seq)",
            "CREATE INDEX events_recorded_at ON chronicle.events (recorded_at, seq)",
            eventTagsTable,
            eventTagsIndex,
            """
            CREATE TABLE chronicle.checkpoints (
                name text COLLATE "C" PRIMARY KEY, position bigint NOT NULL, state bytea NOT NULL)
            """,
            "CREATE TABLE chronicle.subject_keys (subject text COLLATE \"C\" PRIMARY KEY, key bytea NOT NULL)",
            "CREATE TABLE chronicle.recording_scopes (role name, scope text COLLATE \"C\", PRIMARY KEY (role, scope))",
            // The canonical body of EventEncoding, version 1, byte for byte: big-endian integers, u16-prefixed
            // UTF-8 strings, u32-prefixed payload.
            """
            CREATE FUNCTION chronicle.string16(value text) RETURNS bytea
            LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog AS $$
                SELECT substring(int4send(octet_length(convert_to(value, 'UTF8'))) FROM 3 FOR 2)
                    || convert_to(value, 'UTF8')
            $$
            """,
            """
            CREATE FUNCTION chronicle.event_body(
                seq bigint, id uuid, stream_version bigint, recorded_at bigint, occurred_kind smallint,
                occurred_value bigint, schema_version integer, type text, stream text, recorded_by text,
                payload bytea) RETURNS bytea
            LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog AS $$
                SELECT '\\x01'::bytea || int8send(seq) || uuid_send(id) || int8send(stream_version)
                    || int8send(recorded_at) || substring(int2send(occurred_kind) FROM 2 FOR 1)
                    || int8send(occurred_value) || substring(int4send(schema_version) FROM 3 FOR 2)
                    || chronicle.string16(type) || chronicle.string16(stream) || chronicle.string16(recorded_by)
                    || int4send(octet_length(payload)) || payload
            $$
            """,
            """
            CREATE FUNCTION chronicle.refuse_change() RETURNS trigger
            LANGUAGE plpgsql SET search_path = pg_catalog AS $$
            BEGIN
                IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) THEN
                    RAISE EXCEPTION 'chronicle.events is append-only: % refused for %', TG_OP, current_user
                        USING ERRCODE = '\(State.appendOnly)';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END
            $$
            """,
            """
            CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON chronicle.events
            FOR EACH ROW EXECUTE FUNCTION chronicle.refuse_change()
            """,
            """
            CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON chronicle.events
            FOR EACH STATEMENT EXECUTE FUNCTION chronicle.refuse_change()
            """,
            // Appenders serialise on the head row: seq is gapless in commit order.
            """
            CREATE FUNCTION chronicle.lock_head(OUT seq bigint, OUT hash bytea, OUT recorded_at bigint)
            LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
                SELECT h.seq, h.hash, h.recorded_at FROM chronicle.head h FOR UPDATE
            $$
            """,
            appendFunction(database: database),
            restoreFunction,
            resetTagsFunction,
            // The tag index is a cache the client computes; it is written only forward from its position.
            addTagsFunction,
            "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA chronicle FROM PUBLIC",
            "GRANT USAGE ON SCHEMA chronicle TO \(reader)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA chronicle TO \(reader)",
            "GRANT EXECUTE ON FUNCTION chronicle.string16(text), chronicle.event_body(bigint, uuid, bigint, bigint, "
                + "smallint, bigint, integer, text, text, text, bytea) TO \(reader)",
            "GRANT EXECUTE ON FUNCTION chronicle.lock_head(), chronicle.append_events(uuid[], text[], text[], "
                + "integer[], smallint[], bigint[], bytea[], integer[], text[], bigint, boolean), "
                + "chronicle.reset_tags(text), chronicle.add_tags(bigint, bigint, bigint[], text[]) TO \(recorder)",
            "GRANT INSERT ON chronicle.subject_keys TO \(recorder)",
            "GRANT INSERT, UPDATE ON chronicle.checkpoints TO \(recorder)",
            "GRANT DELETE ON chronicle.subject_keys TO \(admin)",
            "GRANT INSERT, DELETE ON chronicle.recording_scopes TO \(admin)",
            "GRANT EXECUTE ON FUNCTION chronicle.restore_events(bigint[], uuid[], text[], bigint[], text[], "
                + "integer[], smallint[], bigint[], bigint[], text[], bytea[], bytea[], integer[], text[], boolean) "
                + "TO \(admin)",
        ]
    }

    /// The tag index of format 2: one row per tagged event, its distinct tags sorted by their bytes (as
    /// LMDB's index drops repeats by their bytes).
    static let eventTagsTable =
        "CREATE TABLE chronicle.event_tags (seq bigint PRIMARY KEY, tags text[] COLLATE \"C\" NOT NULL)"

    /// The GIN index the tag lookups use (`tags @> ARRAY[tag]`, `tags && …`). `fastupdate` (the default,
    /// written out because the append's cost rests on it) gathers new entries in a pending list that is
    /// merged, sorted by tag, once it passes `gin_pending_list_limit`.
    static let eventTagsIndex =
        "CREATE INDEX event_tags_tags ON chronicle.event_tags USING gin (tags) WITH (fastupdate = on)"

    /// Why the functions that add tags end by merging the GIN index's pending list (in SQL comments).
    static let pendingListFlush =
        "The pending list is merged into the index, sorted by tag, before the call returns: a lookup scans all of it."

    /// `reset_tags`: empties the tag index and names the scheme it is rebuilt with (recorders).
    static let resetTagsFunction = """
        CREATE OR REPLACE FUNCTION chronicle.reset_tags(p_scheme text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            PERFORM 1 FROM chronicle.head FOR UPDATE;
            DELETE FROM chronicle.event_tags;
            UPDATE chronicle.meta SET value = '0' WHERE key = 'tag_position';
            INSERT INTO chronicle.meta VALUES ('tag_scheme', p_scheme)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value;
        END
        $$
        """

    /// `add_tags`: continues the tag index from its position through `p_through` (recorders), with the
    /// (seq, tag) pairs of that stretch. Repeats are stored once; the index holds no row past its position,
    /// so a row met again is merged rather than refused.
    static let addTagsFunction = """
        CREATE OR REPLACE FUNCTION chronicle.add_tags(p_from bigint, p_through bigint, p_seqs bigint[], p_tags text[])
        RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            v_position bigint;
        BEGIN
            PERFORM 1 FROM chronicle.head FOR UPDATE;
            SELECT value::bigint INTO v_position FROM chronicle.meta WHERE key = 'tag_position';
            IF v_position <> p_from OR p_through > (SELECT seq FROM chronicle.head) THEN
                RAISE EXCEPTION 'the tag index is at % and cannot be continued from % to %',
                    v_position, p_from, p_through;
            END IF;
            INSERT INTO chronicle.event_tags AS e (seq, tags)
                SELECT s, array_agg(DISTINCT t COLLATE "C" ORDER BY t COLLATE "C")
                FROM unnest(p_tags, p_seqs) AS u(t, s) WHERE s > p_from AND s <= p_through GROUP BY s
                ON CONFLICT (seq) DO UPDATE SET tags = (
                    SELECT array_agg(DISTINCT t COLLATE "C" ORDER BY t COLLATE "C")
                    FROM unnest(e.tags || excluded.tags) AS m(t));
            -- \(pendingListFlush)
            PERFORM gin_clean_pending_list('chronicle.event_tags_tags'::regclass);
            UPDATE chronicle.meta SET value = p_through::text WHERE key = 'tag_position';
        END
        $$
        """

    /// `restore_events`: appends stored events from an export (admins only), keeping their seq, recorded_at,
    /// recorded_by and hash, each checked to continue the log and the chain; tags are indexed when
    /// `p_with_tags` and the index is current.
    static let restoreFunction = """
        CREATE OR REPLACE FUNCTION chronicle.restore_events(
            p_seqs bigint[], p_ids uuid[], p_streams text[], p_versions bigint[], p_types text[],
            p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_recorded_ats bigint[],
            p_recorded_bys text[], p_payloads bytea[], p_hashes bytea[], p_tag_events integer[], p_tag_names text[],
            p_with_tags boolean) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            v_head record;
            v_seq bigint;
            v_hash bytea;
            v_at bigint;
            v_computed bytea;
            v_tagging boolean;
            e record;
        BEGIN
            SELECT h.seq, h.hash, h.recorded_at INTO v_head FROM chronicle.head h FOR UPDATE;
            SELECT p_with_tags AND value::bigint = v_head.seq INTO v_tagging FROM chronicle.meta WHERE key = 'tag_position';
            v_seq := v_head.seq;
            v_hash := v_head.hash;
            v_at := v_head.recorded_at;
            FOR e IN
                SELECT b.*,
                    coalesce((SELECT max(x.stream_version) FROM chronicle.events x WHERE x.stream = b.stream), 0)
                        + row_number() OVER (PARTITION BY b.stream ORDER BY b.ord) AS expected_version
                FROM unnest(p_seqs, p_ids, p_streams, p_versions, p_types, p_schema_versions, p_kinds, p_values,
                    p_recorded_ats, p_recorded_bys, p_payloads, p_hashes)
                    WITH ORDINALITY AS b(seq, id, stream, version, type, schema_version, kind, value, recorded_at,
                        recorded_by, payload, hash, ord)
                ORDER BY b.ord
            LOOP
                IF e.seq <> v_seq + 1 THEN
                    RAISE EXCEPTION 'expected seq %', v_seq + 1
                        USING ERRCODE = '\(State.restoreMismatch)', DETAIL = e.seq::text;
                END IF;
                IF e.version <> e.expected_version THEN
                    RAISE EXCEPTION 'expected version % of stream %', e.expected_version, e.stream
                        USING ERRCODE = '\(State.restoreMismatch)', DETAIL = e.seq::text;
                END IF;
                IF v_at IS NOT NULL AND e.recorded_at < v_at THEN
                    RAISE EXCEPTION 'recordedAt is before the previous event''s'
                        USING ERRCODE = '\(State.restoreMismatch)', DETAIL = e.seq::text;
                END IF;
                v_computed := sha256(v_hash || chronicle.event_body(e.seq, e.id, e.version, e.recorded_at, e.kind,
                    e.value, e.schema_version, e.type, e.stream, e.recorded_by, e.payload));
                IF v_computed <> e.hash THEN
                    RAISE EXCEPTION 'hash does not verify'
                        USING ERRCODE = '\(State.restoreMismatch)', DETAIL = e.seq::text;
                END IF;
                INSERT INTO chronicle.events VALUES (e.seq, e.id, e.stream, e.version, e.type, e.schema_version,
                    e.kind, e.value,
                    CASE WHEN e.kind = 0 THEN e.value * 86400000000 ELSE e.value END,
                    e.recorded_at, e.recorded_by, e.payload, e.hash);
                v_seq := e.seq;
                v_hash := e.hash;
                v_at := e.recorded_at;
            END LOOP;
            IF v_tagging THEN
                -- The index holds no row past the head: only the batch's own repeats are merged.
                INSERT INTO chronicle.event_tags (seq, tags)
                    SELECT v_head.seq + n, array_agg(DISTINCT t COLLATE "C" ORDER BY t COLLATE "C")
                    FROM unnest(p_tag_events, p_tag_names) AS u(n, t) GROUP BY n;
                -- \(pendingListFlush)
                PERFORM gin_clean_pending_list('chronicle.event_tags_tags'::regclass);
                UPDATE chronicle.meta SET value = v_seq::text WHERE key = 'tag_position';
            END IF;
            UPDATE chronicle.head SET seq = v_seq, hash = v_hash, recorded_at = v_at;
        END
        $$
        """
}
