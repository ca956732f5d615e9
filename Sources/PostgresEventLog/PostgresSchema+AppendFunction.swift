internal import EventLog

/// `chronicle.append_events`, the one way events enter a PostgreSQL store, and the revision marker by which
/// opening a store tells whether its function is older than this build's.
extension PostgresSchema {
    /// `append_events`: writes a batch after the head, computing in the database what no client may choose:
    /// `seq`, `stream_version`, `recorded_at`, `recorded_by` (= `session_user`) and `hash`. Returns those,
    /// one row per event, in order.
    ///
    /// `p_tag_events` / `p_tag_names` give the tags, each with the 1-based index of its event in the batch.
    /// `p_requested_at` (the client's clock, `CHRONICLE_NOW`) is used only for a member of the admin role.
    ///
    /// Set-based where the semantics allow: the scope check is one join, each stream's last version is read
    /// once, the canonical bodies are built in one query (the expression of `event_body` written out, since a
    /// function with its own `search_path` is never inlined and costs a call per event), and the rows go in
    /// with one INSERT per table. Only the chain itself is a loop, one `sha256` per event over the bodies.
    /// `work_mem` is raised for the call so that grouping a chunk's tags (65,000 pairs for 10,000 events in
    /// the generated histories) sorts in memory rather than spilling to a temporary file.
    /// The body carries ``appendFunctionMarker`` so that opening a store can tell the revision it runs (see
    /// `PostgresEventStore.appendFunctionNeedsUpgrade`): an older build's has the same semantics, slower.
    static func appendFunction(database: String, replacing: Bool = false) -> String {
        let adminRole = literal(role(.admin, database: database))
        let prefixLength = scopeTagPrefix.count
        return """
            CREATE \(replacing ? "OR REPLACE " : "")FUNCTION chronicle.append_events(
                p_ids uuid[], p_streams text[], p_types text[], p_schema_versions integer[], p_kinds smallint[],
                p_values bigint[], p_payloads bytea[], p_tag_events integer[], p_tag_names text[],
                p_requested_at bigint, p_allow_clock_behind boolean)
            RETURNS TABLE (r_seq bigint, r_stream_version bigint, r_recorded_at bigint, r_recorded_by text, r_hash bytea)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET work_mem = '32MB'
                SET gin_pending_list_limit = '64MB' AS $$
            -- \(appendFunctionMarker)
            DECLARE
                v_head record;
                v_now bigint;
                v_by text := session_user;
                v_count integer := coalesce(cardinality(p_ids), 0);
                v_granted text[];
                v_unscoped integer;
                v_refused text;
                v_tagging boolean;
                v_versions bigint[];
                v_bodies bytea[];
                v_body bytea;
                v_stamp bytea;
                v_by_bytes bytea;
                v_hash bytea;
                v_hashes bytea[] := '{}';
            BEGIN
                SELECT h.seq, h.hash, h.recorded_at INTO v_head FROM chronicle.head h FOR UPDATE;
                -- Recording scopes: a role (or a group it belongs to) with scope rows may record only events
                -- tagged with granted scopes. Superusers are members of every role and are never limited.
                IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
                    SELECT array_agg(DISTINCT s.scope ORDER BY s.scope) INTO v_granted
                    FROM chronicle.recording_scopes s JOIN pg_roles r ON r.rolname = s.role
                    WHERE pg_has_role(session_user, r.oid, 'MEMBER');
                    IF v_granted IS NOT NULL THEN
                        -- The first event of the batch that names no scope or one not granted, and that scope.
                        SELECT e.i, t.refused INTO v_unscoped, v_refused
                        FROM generate_series(1, v_count) AS e(i)
                        LEFT JOIN (
                            SELECT u.n, min(substring(u.t FROM \(prefixLength + 1)))
                                    FILTER (WHERE NOT substring(u.t FROM \(prefixLength + 1)) = ANY (v_granted)) AS refused
                            FROM unnest(p_tag_events, p_tag_names) AS u(n, t)
                            WHERE starts_with(u.t, '\(scopeTagPrefix)')
                            GROUP BY u.n
                        ) t ON t.n = e.i
                        WHERE t.n IS NULL OR t.refused IS NOT NULL
                        ORDER BY e.i LIMIT 1;
                        IF v_unscoped IS NOT NULL AND v_refused IS NULL THEN
                            RAISE EXCEPTION 'role % may record only for % %, and event % of the batch names none',
                                v_by, CASE WHEN cardinality(v_granted) = 1 THEN 'collaborative' ELSE 'collaboratives' END,
                                array_to_string(v_granted, ', '), v_unscoped
                                USING ERRCODE = '\(State.scopeRefused)', DETAIL = v_unscoped::text;
                        ELSIF v_unscoped IS NOT NULL THEN
                            RAISE EXCEPTION 'role % may not record for collaborative % (granted: %): event % of the batch names it',
                                v_by, v_refused, array_to_string(v_granted, ', '), v_unscoped
                                USING ERRCODE = '\(State.scopeRefused)', DETAIL = v_unscoped::text;
                        END IF;
                    END IF;
                END IF;
                v_now := floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
                IF p_requested_at IS NOT NULL AND pg_has_role(session_user, \(adminRole), 'MEMBER') THEN
                    v_now := p_requested_at;
                END IF;
                -- recordedAt never decreases along the log (see ClockTolerance).
                IF v_head.recorded_at IS NOT NULL AND v_now < v_head.recorded_at THEN
                    IF NOT p_allow_clock_behind AND v_head.recorded_at::numeric - v_now::numeric > \(ClockTolerance.behindHead) THEN
                        RAISE EXCEPTION 'the clock is more than five minutes behind the log''s last recordedAt'
                            USING ERRCODE = '\(State.clockBehindHead)', DETAIL = v_now || ' ' || v_head.recorded_at;
                    END IF;
                    v_now := v_head.recorded_at;
                END IF;
                SELECT value::bigint = v_head.seq INTO v_tagging FROM chronicle.meta WHERE key = 'tag_position';
                -- The parts of the canonical body that are the same for every event of the call.
                v_stamp := int8send(v_now);
                v_by_bytes := substring(int4send(octet_length(convert_to(v_by, 'UTF8'))) FROM 3 FOR 2)
                    || convert_to(v_by, 'UTF8');
                -- stream_version of every event (each stream's last version read once), and its canonical body
                -- (EventEncoding, version 1: what chronicle.event_body returns); seq is the head's plus the
                -- event's place in the batch.
                SELECT array_agg(b.version ORDER BY b.ord), array_agg(\(bodyExpression) ORDER BY b.ord)
                INTO v_versions, v_bodies
                FROM (
                    SELECT u.ord, u.id, u.kind, u.value, u.schema_version, u.payload,
                        convert_to(u.type, 'UTF8') AS type_bytes, convert_to(u.stream, 'UTF8') AS stream_bytes,
                        coalesce(s.last, 0) + row_number() OVER (PARTITION BY u.stream ORDER BY u.ord) AS version
                    FROM unnest(p_ids, p_streams, p_types, p_schema_versions, p_kinds, p_values, p_payloads)
                        WITH ORDINALITY AS u(id, stream, type, schema_version, kind, value, payload, ord)
                    LEFT JOIN (
                        SELECT d.stream,
                            (SELECT max(x.stream_version) FROM chronicle.events x WHERE x.stream = d.stream) AS last
                        FROM (SELECT DISTINCT t.stream FROM unnest(p_streams) AS t(stream)) d
                    ) s ON s.stream = u.stream
                ) b;
                -- The chain, one event after another.
                v_hash := v_head.hash;
                FOREACH v_body IN ARRAY coalesce(v_bodies, '{}') LOOP
                    v_hash := sha256(v_hash || v_body);
                    v_hashes := array_append(v_hashes, v_hash);
                END LOOP;
                INSERT INTO chronicle.events
                    SELECT v_head.seq + b.ord, b.id, b.stream, b.version, b.type, b.schema_version, b.kind, b.value,
                        CASE WHEN b.kind = 0 THEN b.value * 86400000000 ELSE b.value END, v_now, v_by, b.payload, b.hash
                    FROM unnest(p_ids, p_streams, v_versions, p_types, p_schema_versions, p_kinds, p_values, p_payloads,
                        v_hashes) WITH ORDINALITY AS b(id, stream, version, type, schema_version, kind, value, payload, hash, ord);
                RETURN QUERY SELECT v_head.seq + b.ord, b.version, v_now, v_by, b.hash
                    FROM unnest(v_versions, v_hashes) WITH ORDINALITY AS b(version, hash, ord) ORDER BY b.ord;
                IF v_tagging THEN
                    -- One row per tagged event, a tag named twice stored once: DISTINCT rather than an
                    -- EXCEPTION block (a subtransaction: an import of a hundred calls in one transaction would
                    -- overflow every backend's snapshot subxid cache) or ON CONFLICT (a speculative insertion a
                    -- row). The index holds no row past the head, so nothing stored can collide.
                    INSERT INTO chronicle.event_tags (seq, tags)
                        SELECT v_head.seq + n, array_agg(DISTINCT t COLLATE "C" ORDER BY t COLLATE "C")
                        FROM unnest(p_tag_events, p_tag_names) AS u(n, t) GROUP BY n;
                    -- \(PostgresSchema.pendingListFlush)
                    PERFORM gin_clean_pending_list('chronicle.event_tags_tags'::regclass);
                    UPDATE chronicle.meta SET value = (v_head.seq + v_count)::text WHERE key = 'tag_position';
                END IF;
                UPDATE chronicle.head SET seq = v_head.seq + v_count, hash = v_hash, recorded_at = v_now;
            END
            $$
            """
    }

    /// The revision of ``appendFunction(database:replacing:)``: raise it whenever the function's text changes,
    /// so that stores running an older one get this one, and this build leaves a newer one alone.
    /// 1: one event at a time (no marker); 2: set-based; 3: tags deduplicated without a subtransaction
    /// (these three write format 1's `chronicle.tags`); 4: format 2's `chronicle.event_tags`; 5: the body's
    /// parts common to a call built once, seq not aggregated, the GIN pending list merged only by the call's
    /// own `gin_clean_pending_list`; 6: a scope refusal names the event (message and DETAIL: its place in
    /// the call, which the client turns into its place in the batch).
    static let appendFunctionRevision = 6

    /// The comment in ``appendFunction(database:replacing:)``'s body that names its revision, matched by
    /// ``appendFunctionRevisionPattern``. A body without it is revision 1 (same format, same semantics).
    static let appendFunctionMarker = "chronicle.append_events revision \(appendFunctionRevision) (set-based)"

    /// The POSIX regular expression whose group is the revision number in a stored body's marker.
    static let appendFunctionRevisionPattern = #"chronicle\.append_events revision ([0-9]{1,9})"#

    /// The canonical body of the event in row `b` (columns ord, id, version, kind, value, schema_version,
    /// type_bytes, stream_bytes, payload, with `v_head`, `v_stamp` and `v_by_bytes`): `chronicle.event_body`
    /// written out inline.
    private static let bodyExpression = """
        '\\x01'::bytea || int8send(v_head.seq + b.ord) || uuid_send(b.id) || int8send(b.version)
                        || v_stamp || substring(int2send(b.kind) FROM 2 FOR 1)
                        || int8send(b.value) || substring(int4send(b.schema_version) FROM 3 FOR 2)
                        || substring(int4send(octet_length(b.type_bytes)) FROM 3 FOR 2) || b.type_bytes
                        || substring(int4send(octet_length(b.stream_bytes)) FROM 3 FOR 2) || b.stream_bytes
                        || v_by_bytes || int4send(octet_length(b.payload)) || b.payload
        """
}
