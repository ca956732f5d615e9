-- A Chronicle store of format 1 on PostgreSQL (tag index: chronicle.tags, a row per tag and event; the
-- revision-3 chronicle.append_events), as `chronicle init` and `chronicle import` of the build before format 2
-- made it: 40 generated events (`chronicle generate --events 40 --collaboratives 2 --seed 7`), dumped with
-- `pg_dump --schema=chronicle --inserts`. {database} stands for the database's name (its group roles are
-- {database}_reader, _recorder, _admin); every statement ends with a line holding only "-- ;;". As in the
-- dump, function bodies are not checked when created (one calls another created after it).

SET check_function_bodies = false;
-- ;;
CREATE SCHEMA chronicle;
-- ;;
ALTER SCHEMA chronicle OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.add_tags(p_from bigint, p_through bigint, p_seqs bigint[], p_tags text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_position bigint;
BEGIN
    PERFORM 1 FROM chronicle.head FOR UPDATE;
    SELECT value::bigint INTO v_position FROM chronicle.meta WHERE key = 'tag_position';
    IF v_position <> p_from OR p_through > (SELECT seq FROM chronicle.head) THEN
        RAISE EXCEPTION 'the tag index is at % and cannot be continued from % to %',
            v_position, p_from, p_through;
    END IF;
    INSERT INTO chronicle.tags (tag, seq)
        SELECT t, s FROM unnest(p_tags, p_seqs) AS u(t, s) WHERE s > p_from AND s <= p_through
        ON CONFLICT DO NOTHING;
    UPDATE chronicle.meta SET value = p_through::text WHERE key = 'tag_position';
END
$$;
-- ;;
ALTER FUNCTION chronicle.add_tags(p_from bigint, p_through bigint, p_seqs bigint[], p_tags text[]) OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.append_events(p_ids uuid[], p_streams text[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_payloads bytea[], p_tag_events integer[], p_tag_names text[], p_requested_at bigint, p_allow_clock_behind boolean) RETURNS TABLE(r_seq bigint, r_stream_version bigint, r_recorded_at bigint, r_recorded_by text, r_hash bytea)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
-- chronicle.append_events revision 3 (set-based)
DECLARE
    v_head record;
    v_now bigint;
    v_by text := session_user;
    v_count integer := coalesce(cardinality(p_ids), 0);
    v_granted text[];
    v_unscoped integer;
    v_refused text;
    v_tagging boolean;
    v_seqs bigint[];
    v_versions bigint[];
    v_bodies bytea[];
    v_body bytea;
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
                SELECT u.n, min(substring(u.t FROM 4))
                        FILTER (WHERE NOT substring(u.t FROM 4) = ANY (v_granted)) AS refused
                FROM unnest(p_tag_events, p_tag_names) AS u(n, t)
                WHERE starts_with(u.t, 'in/')
                GROUP BY u.n
            ) t ON t.n = e.i
            WHERE t.n IS NULL OR t.refused IS NOT NULL
            ORDER BY e.i LIMIT 1;
            IF v_unscoped IS NOT NULL AND v_refused IS NULL THEN
                RAISE EXCEPTION 'role % may record only for % %, and event % of the batch names none',
                    v_by, CASE WHEN cardinality(v_granted) = 1 THEN 'collaborative' ELSE 'collaboratives' END,
                    array_to_string(v_granted, ', '), v_unscoped
                    USING ERRCODE = 'CR002';
            ELSIF v_unscoped IS NOT NULL THEN
                RAISE EXCEPTION 'role % may not record for collaborative % (granted: %)',
                    v_by, v_refused, array_to_string(v_granted, ', ')
                    USING ERRCODE = 'CR002';
            END IF;
        END IF;
    END IF;
    v_now := floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    IF p_requested_at IS NOT NULL AND pg_has_role(session_user, '{database}_admin', 'MEMBER') THEN
        v_now := p_requested_at;
    END IF;
    -- recordedAt never decreases along the log (see ClockTolerance).
    IF v_head.recorded_at IS NOT NULL AND v_now < v_head.recorded_at THEN
        IF NOT p_allow_clock_behind AND v_head.recorded_at::numeric - v_now::numeric > 300000000 THEN
            RAISE EXCEPTION 'the clock is more than five minutes behind the log''s last recordedAt'
                USING ERRCODE = 'CR001', DETAIL = v_now || ' ' || v_head.recorded_at;
        END IF;
        v_now := v_head.recorded_at;
    END IF;
    SELECT value::bigint = v_head.seq INTO v_tagging FROM chronicle.meta WHERE key = 'tag_position';
    -- seq and stream_version of every event (each stream's last version read once), and its
    -- canonical body (EventEncoding, version 1: what chronicle.event_body returns).
    SELECT array_agg(b.seq ORDER BY b.ord), array_agg(b.version ORDER BY b.ord),
        array_agg('\x01'::bytea || int8send(b.seq) || uuid_send(b.id) || int8send(b.version)
                || int8send(b.recorded_at) || substring(int2send(b.kind) FROM 2 FOR 1)
                || int8send(b.value) || substring(int4send(b.schema_version) FROM 3 FOR 2)
                || substring(int4send(octet_length(convert_to(b.type, 'UTF8'))) FROM 3 FOR 2)
                || convert_to(b.type, 'UTF8')
                || substring(int4send(octet_length(convert_to(b.stream, 'UTF8'))) FROM 3 FOR 2)
                || convert_to(b.stream, 'UTF8')
                || substring(int4send(octet_length(convert_to(b.recorded_by, 'UTF8'))) FROM 3 FOR 2)
                || convert_to(b.recorded_by, 'UTF8')
                || int4send(octet_length(b.payload)) || b.payload ORDER BY b.ord)
    INTO v_seqs, v_versions, v_bodies
    FROM (
        SELECT u.*, v_head.seq + u.ord AS seq, v_now AS recorded_at, v_by AS recorded_by,
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
        SELECT b.seq, b.id, b.stream, b.version, b.type, b.schema_version, b.kind, b.value,
            CASE WHEN b.kind = 0 THEN b.value * 86400000000 ELSE b.value END, v_now, v_by, b.payload, b.hash
        FROM unnest(v_seqs, p_ids, p_streams, v_versions, p_types, p_schema_versions, p_kinds, p_values,
            p_payloads, v_hashes) AS b(seq, id, stream, version, type, schema_version, kind, value, payload, hash);
    RETURN QUERY SELECT b.seq, b.version, v_now, v_by, b.hash
        FROM unnest(v_seqs, v_versions, v_hashes) WITH ORDINALITY AS b(seq, version, hash, ord) ORDER BY b.ord;
    IF v_tagging THEN
        -- A tag named twice for one event is stored once. DISTINCT rather than an EXCEPTION block
        -- (a subtransaction: an import of a hundred calls in one transaction would overflow every
        -- backend's snapshot subxid cache) or ON CONFLICT (a speculative insertion a row). The
        -- index holds no row past the head, so only the batch's own pairs can collide.
        INSERT INTO chronicle.tags (tag, seq)
            SELECT DISTINCT t, v_head.seq + n FROM unnest(p_tag_events, p_tag_names) AS u(n, t);
        UPDATE chronicle.meta SET value = (v_head.seq + v_count)::text WHERE key = 'tag_position';
    END IF;
    UPDATE chronicle.head SET seq = v_head.seq + v_count, hash = v_hash, recorded_at = v_now;
END
$$;
-- ;;
ALTER FUNCTION chronicle.append_events(p_ids uuid[], p_streams text[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_payloads bytea[], p_tag_events integer[], p_tag_names text[], p_requested_at bigint, p_allow_clock_behind boolean) OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.event_body(seq bigint, id uuid, stream_version bigint, recorded_at bigint, occurred_kind smallint, occurred_value bigint, schema_version integer, type text, stream text, recorded_by text, payload bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT '\x01'::bytea || int8send(seq) || uuid_send(id) || int8send(stream_version)
        || int8send(recorded_at) || substring(int2send(occurred_kind) FROM 2 FOR 1)
        || int8send(occurred_value) || substring(int4send(schema_version) FROM 3 FOR 2)
        || chronicle.string16(type) || chronicle.string16(stream) || chronicle.string16(recorded_by)
        || int4send(octet_length(payload)) || payload
$$;
-- ;;
ALTER FUNCTION chronicle.event_body(seq bigint, id uuid, stream_version bigint, recorded_at bigint, occurred_kind smallint, occurred_value bigint, schema_version integer, type text, stream text, recorded_by text, payload bytea) OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.lock_head(OUT seq bigint, OUT hash bytea, OUT recorded_at bigint) RETURNS record
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT h.seq, h.hash, h.recorded_at FROM chronicle.head h FOR UPDATE
$$;
-- ;;
ALTER FUNCTION chronicle.lock_head(OUT seq bigint, OUT hash bytea, OUT recorded_at bigint) OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
BEGIN
    IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) THEN
        RAISE EXCEPTION 'chronicle.events is append-only: % refused for %', TG_OP, current_user
            USING ERRCODE = 'CR005';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;
-- ;;
ALTER FUNCTION chronicle.refuse_change() OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.reset_tags(p_scheme text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM 1 FROM chronicle.head FOR UPDATE;
    DELETE FROM chronicle.tags;
    UPDATE chronicle.meta SET value = '0' WHERE key = 'tag_position';
    INSERT INTO chronicle.meta VALUES ('tag_scheme', p_scheme)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END
$$;
-- ;;
ALTER FUNCTION chronicle.reset_tags(p_scheme text) OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.restore_events(p_seqs bigint[], p_ids uuid[], p_streams text[], p_versions bigint[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_recorded_ats bigint[], p_recorded_bys text[], p_payloads bytea[], p_hashes bytea[], p_tag_events integer[], p_tag_names text[], p_with_tags boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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
                USING ERRCODE = 'CR003', DETAIL = e.seq::text;
        END IF;
        IF e.version <> e.expected_version THEN
            RAISE EXCEPTION 'expected version % of stream %', e.expected_version, e.stream
                USING ERRCODE = 'CR003', DETAIL = e.seq::text;
        END IF;
        IF v_at IS NOT NULL AND e.recorded_at < v_at THEN
            RAISE EXCEPTION 'recordedAt is before the previous event''s'
                USING ERRCODE = 'CR003', DETAIL = e.seq::text;
        END IF;
        v_computed := sha256(v_hash || chronicle.event_body(e.seq, e.id, e.version, e.recorded_at, e.kind,
            e.value, e.schema_version, e.type, e.stream, e.recorded_by, e.payload));
        IF v_computed <> e.hash THEN
            RAISE EXCEPTION 'hash does not verify'
                USING ERRCODE = 'CR003', DETAIL = e.seq::text;
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
        INSERT INTO chronicle.tags (tag, seq)
            SELECT t, v_head.seq + n FROM unnest(p_tag_events, p_tag_names) AS u(n, t)
            ON CONFLICT DO NOTHING;
        UPDATE chronicle.meta SET value = v_seq::text WHERE key = 'tag_position';
    END IF;
    UPDATE chronicle.head SET seq = v_seq, hash = v_hash, recorded_at = v_at;
END
$$;
-- ;;
ALTER FUNCTION chronicle.restore_events(p_seqs bigint[], p_ids uuid[], p_streams text[], p_versions bigint[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_recorded_ats bigint[], p_recorded_bys text[], p_payloads bytea[], p_hashes bytea[], p_tag_events integer[], p_tag_names text[], p_with_tags boolean) OWNER TO CURRENT_USER;
-- ;;
CREATE FUNCTION chronicle.string16(value text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT substring(int4send(octet_length(convert_to(value, 'UTF8'))) FROM 3 FOR 2)
        || convert_to(value, 'UTF8')
$$;
-- ;;
ALTER FUNCTION chronicle.string16(value text) OWNER TO CURRENT_USER;
-- ;;
CREATE TABLE chronicle.checkpoints (
    name text NOT NULL COLLATE pg_catalog."C",
    "position" bigint NOT NULL,
    state bytea NOT NULL
);
-- ;;
ALTER TABLE chronicle.checkpoints OWNER TO CURRENT_USER;
-- ;;
CREATE TABLE chronicle.events (
    seq bigint NOT NULL,
    id uuid NOT NULL,
    stream text NOT NULL COLLATE pg_catalog."C",
    stream_version bigint NOT NULL,
    type text NOT NULL COLLATE pg_catalog."C",
    schema_version integer NOT NULL,
    occurred_kind smallint NOT NULL,
    occurred_value bigint NOT NULL,
    occurred_sort bigint NOT NULL,
    recorded_at bigint NOT NULL,
    recorded_by text NOT NULL COLLATE pg_catalog."C",
    payload bytea NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT events_seq_check CHECK ((seq > 0)),
    CONSTRAINT events_stream_version_check CHECK ((stream_version > 0))
);
-- ;;
ALTER TABLE chronicle.events OWNER TO CURRENT_USER;
-- ;;
CREATE TABLE chronicle.head (
    singleton boolean DEFAULT true NOT NULL,
    seq bigint NOT NULL,
    hash bytea NOT NULL,
    recorded_at bigint,
    CONSTRAINT head_singleton_check CHECK (singleton)
);
-- ;;
ALTER TABLE chronicle.head OWNER TO CURRENT_USER;
-- ;;
CREATE TABLE chronicle.meta (
    key text NOT NULL COLLATE pg_catalog."C",
    value text NOT NULL
);
-- ;;
ALTER TABLE chronicle.meta OWNER TO CURRENT_USER;
-- ;;
CREATE TABLE chronicle.recording_scopes (
    role name NOT NULL,
    scope text NOT NULL COLLATE pg_catalog."C"
);
-- ;;
ALTER TABLE chronicle.recording_scopes OWNER TO CURRENT_USER;
-- ;;
CREATE TABLE chronicle.subject_keys (
    subject text NOT NULL COLLATE pg_catalog."C",
    key bytea NOT NULL
);
-- ;;
ALTER TABLE chronicle.subject_keys OWNER TO CURRENT_USER;
-- ;;
CREATE TABLE chronicle.tags (
    tag text NOT NULL COLLATE pg_catalog."C",
    seq bigint NOT NULL
);
-- ;;
ALTER TABLE chronicle.tags OWNER TO CURRENT_USER;
-- ;;
INSERT INTO chronicle.checkpoints VALUES
	('present-view', 40, '\x030000000000000028722ee740a805d592c461687f9d2262629c1417ba1a08dfe9779504ad49eee856018f395f1ea07d4c988026aa1984cf174601000101ce840200000000144f6c6468616d20436f6c6c61626f7261746976650000000e4f6c6468616d20436f756e63696cce8402061c0101010bca9b02000000001c576f72636573746572736869726520436f6c6c61626f72617469766500000016576f72636573746572736869726520436f756e63696cca9b020002000100020103a68a0200010100030104ca8c0200010100040115b8a70200010100050117dca9020001010006011feeb20200010100070102ce84020001010108010cca9b020001010109011cb4af02000101010a010daa9e02000101010b010eba9f02000101010c011ed8b10200010001020103a68a0200030e0001030104ca8c0200030f0001040115b8a7020003100001050117dca902000311000106011feeb2020003120001070102ce8402000313000108010cca9b02000313000109011cb4af0200031300010a010daa9e0200031400010b010eba9f0200031200010c011ed8b102000311000001001400070106909102001601001600020114a6a6020016010016000301288abd020016010116000b011ba4ae0200160101171908011a90ad020016000118011980ac0200010000001253454e44206561726c7920737570706f72740000000019000000066f6c6468616d0000000e776f726365737465727368697265000000096f6c6468616d2d6d31000000096f6c6468616d2d6d32000000096f6c6468616d2d6d33000000096f6c6468616d2d6d34000000096f6c6468616d2d6d350000000773746166662d310000000773746166662d320000000773746166662d3300000011776f7263657374657273686972652d6d3100000011776f7263657374657273686972652d6d3200000011776f7263657374657273686972652d6d3300000010766f6c756e746172792d736563746f72000000116c612d73656e642d696e636c7573696f6e000000107365636f6e646172792d7363686f6f6c000000066865616c74680000000e7072696d6172792d7363686f6f6c0000000f70726f6772616d6d652d73746166660000000d6c612d6561726c792d68656c700000000761647669736f7200000006666f726d616c00000006616e63686f720000000d73756267726f75702d6c65616400000013776f7263657374657273686972652d73672d310000000000000202');
-- ;;
INSERT INTO chronicle.events VALUES
	(1, '475c3d96-4f48-4cd2-96f1-d349952c7996', 'collaborative-oldham', 1, 'CollaborativeFormed', 1, 0, 16679, 1441065600000000, 1756728000000000, 'postgres', '\x01066f6c6468616d154f6c6468616d20436f6c6c61626f7261746976650f4f6c6468616d20436f756e63696c00004127', '\x73be9ac45ae9c2ef569294feee10cbf20d9764b5c0468a316954cabd6f00466b'),
	(2, '1abc4dcb-546f-41dc-a759-4f96cac88520', 'collaborative-oldham', 2, 'MemberJoined', 1, 0, 16679, 1441065600000000, 1756728000000000, 'postgres', '\x02066f6c6468616d0773746166662d310228775313c388a1acbef0fbf104b755f6c8bda6ad1d52d1e1798b77ee40943a2b513ad6717189af47710f0233545a58304637969eb9f2606171cd71f1479374ab01ef4c041223b49957387bfb819680074a8be50756d56c365611fcfa637f65', '\xeb496af2d4cbe10cd8bc24b429026421e713ceae25a6dc5b24793caaad054c2f'),
	(3, '41b6f599-f3da-4dbf-b75c-b1fd0b70119e', 'collaborative-oldham', 3, 'MemberJoined', 1, 0, 17043, 1472515200000000, 1756728000000000, 'postgres', '\x02066f6c6468616d096f6c6468616d2d6d31000e0234ba5dbd734a77a36d35dffc2a1dd137953bceaa28f5a51878a967dfcb9411390309d6d86bb9a601831c8f986ca6d2d0e9948ede4d', '\xc90c57b915aee1c0860600b07d20ba01ca1ba1e2608816b6fcccf982d1669f89'),
	(4, '97295d66-a875-4767-aced-ce7a6696490b', 'collaborative-oldham', 4, 'MemberJoined', 1, 0, 17189, 1485129600000000, 1756728000000000, 'postgres', '\x02066f6c6468616d096f6c6468616d2d6d320228f1f5d990a0aee55a2c829c557f8d192d972159c61bbf58d2265f26a131ea58e3764899d063dcb97708023dfac9a001ae5b8e13bf5ed4c089bd60da815863b6427edf9c2b586c95be9851c5e1bc2b09f1f2ebddb4bcefe195bf8537d6ac69ce58f7df2fbb6055ed85', '\x7cf7c60213ea31738bbc19a5ac69b2a23c88bacb535ae669d94b7f0def71c6c1'),
	(5, '5ab6f4a2-55e8-431e-b029-4e0614aa3b6b', 'workshop-oldham-ws-1', 1, 'WorkshopHeld', 1, 0, 17333, 1497571200000000, 1756728000000000, 'postgres', '\x010b6f6c6468616d2d77732d3101066f6c6468616d01020002096f6c6468616d2d6d310773746166662d3100', '\xd25d9dbd08bd4020f964b0b5817797b6bd97f1c104f26150e719f74a99209b24'),
	(6, 'aa5fe8ef-3058-4bf3-8c77-edcc1b1b5d03', 'collaborative-oldham', 5, 'RoleAssigned', 1, 0, 17480, 1510272000000000, 1756728000000000, 'postgres', '\x01066f6c6468616d02000773746166662d310100', '\xc70f1f1cbd66de29f2c805dde77d9a3936e3da273141eb299c23e7e07be33a17'),
	(7, '44a7e726-7689-40f1-b7d8-e8c7751ea266', 'collaborative-oldham', 6, 'CoachingSessionHeld', 1, 0, 17626, 1522886400000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00060773746166662d3102096f6c6468616d2d6d31096f6c6468616d2d6d3200', '\x18a23070b4ca9939042fd20af136a2b7daa9261165331e225eba93461ff23220'),
	(8, '19aeb269-3669-443c-94ea-74e3b8fcfc54', 'collaborative-oldham', 7, 'CoachingSessionHeld', 1, 0, 17772, 1535500800000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00010773746166662d3101096f6c6468616d2d6d3200', '\xd75e855539491ed2ee912e923a660fd6e61302eb1e771380e45d2734cb4dc5a3'),
	(9, '20e1dffb-bf35-4290-8c2a-00fa9fb785b9', 'collaborative-oldham', 8, 'CoachingSessionHeld', 1, 0, 17918, 1548115200000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00020773746166662d3102096f6c6468616d2d6d31096f6c6468616d2d6d325b', '\x168056310c768d4222480e49de67a305e2a47d19c4584df391978e744c13729a'),
	(10, '8f395f1e-a07d-4c98-8026-aa1984cf1746', 'workshop-oldham-ws-2', 1, 'WorkshopHeld', 1, 0, 18064, 1560729600000000, 1756728000000000, 'postgres', '\x010b6f6c6468616d2d77732d3201066f6c6468616d03010d4c61756e6368206576656e7402096f6c6468616d2d6d310773746166662d3105', '\x84dcfdab42a68977faaff76e85939432281009dc872f6b3a3ef1d918d30b6722'),
	(11, '825be8ba-1974-48dd-986d-aa6d34c8cf04', 'collaborative-worcestershire', 1, 'CollaborativeFormed', 1, 0, 18149, 1568073600000000, 1756728000000000, 'postgres', '\x010e776f7263657374657273686972651d576f72636573746572736869726520436f6c6c61626f72617469766517576f72636573746572736869726520436f756e63696c000046e5', '\x31c97ca8aaf2dc73a8e9dacb44b8d04c6010a17e4b05aada93c8dc953d803667'),
	(12, '94c5b571-1302-4368-a94c-f0b3978c639d', 'collaborative-worcestershire', 2, 'MemberJoined', 1, 0, 18149, 1568073600000000, 1756728000000000, 'postgres', '\x020e776f7263657374657273686972650773746166662d32022863ddfdd6f3c83833bc8239176091f989ae6568c672ba33cf89b9ba057d17c5f97e2c7047b7cf76e90f0233b9b8d0248f61b336c1ea847dfcfe794960e27669671fa93f0c294e2cbaee0c3c6612a50bf1a71e154ff416a3720b2d75d82b47', '\xa7564d94dae07dc8527029964af271730aef2689be250fd1813195d961769388'),
	(13, 'cff96599-a567-482c-9a59-37a6e8dead1a', 'collaborative-worcestershire', 3, 'MemberJoined', 1, 0, 18325, 1583280000000000, 1756728000000000, 'postgres', '\x020e776f72636573746572736869726511776f7263657374657273686972652d6d31022b58e0d79753a21e1c550424480a589b794658f9b4cd6ca5937ce7dc209c73248e85d43ed87f278d1d201c050702353513040eaf1abebd72ee7693ca8c02c821c9857745dd5fad7e624d1d104be696b4d21e8329075c94c662d1b062173a1d70a8049fe8', '\xf2bfd35d8a16987c5df08497ecb28bf9ad6332640f263d5b96f15b7e52c6e4a8'),
	(14, '68ce7922-f912-46f8-a6bc-03e271520a18', 'collaborative-worcestershire', 4, 'MemberJoined', 1, 0, 18397, 1589500800000000, 1756728000000000, 'postgres', '\x020e776f72636573746572736869726511776f7263657374657273686972652d6d320228c0aba1056fb08c25991424836d8c7a4a1612e4c322a9de0f44c873d8dd3b9c1831fa8d15f7486b51010240afd7b6b3d942f6bee4f92decacc9ba2d8e4ff981e5756f1531989408a8f4e3e5d454a13499d846e74de1d4c3794fb20f9d0307c1d0225f8d526577d12c0f55af', '\x42c6712a67c3bdfb12aeca851ecd44ee31832ed7a266762f1c879682f5da73cf'),
	(15, '3d6c63e4-9efc-4a7a-b017-25f2d83847da', 'collaborative-oldham', 9, 'CoachingSessionHeld', 1, 0, 18471, 1595894400000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00040773746166662d3101096f6c6468616d2d6d3100', '\xbf575dbef3a057e61349fc1f5364943b7327ab76ceb2bed971afc54a2025e38b'),
	(16, '483fc343-b366-4937-a916-3c81db4817a7', 'collaborative-oldham', 10, 'CoachingSessionHeld', 1, 0, 18543, 1602115200000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00070773746166662d31003d', '\x3a52976a56225d2aeb7b4eedd58133880278fe2aa3aab04bd16489ec78e72d9d'),
	(17, '2da37354-c6bb-42a1-8654-0d17e1f6b2db', 'retractions', 1, 'EventRetracted', 1, 0, 18617, 1608508800000000, 1756728000000000, 'postgres', '\x018f395f1ea07d4c988026aa1984cf1746247265636f7264656420616761696e7374207468652077726f6e67206c6f63616c697479', '\xbc3e1d1162ff3514182f8b91d591d7dde99d2b55fcf69d5fec53f47fbc86f1e2'),
	(18, 'e87b5be7-2514-46ec-8993-1896eeafa593', 'collaborative-oldham', 11, 'CoachingSessionHeld', 1, 0, 18689, 1614729600000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00020773746166662d3102096f6c6468616d2d6d31096f6c6468616d2d6d322e', '\x3984952ce733574f5cdfb653944e04cf63078e34dec12048be2b51e19572fc2f'),
	(19, '93e9307a-b76c-4a70-b699-72ec3f87ee4e', 'collaborative-worcestershire', 5, 'CoachingSessionHeld', 1, 0, 18761, 1620950400000000, 1756728000000000, 'postgres', '\x010e776f72636573746572736869726500030773746166662d320211776f7263657374657273686972652d6d3111776f7263657374657273686972652d6d3279', '\xd27c8c46116c7d598f68628eab449d4bcf08fd053232dafed8191a052503fcae'),
	(20, '6001118d-9527-4cf5-9e11-4241eccd05a8', 'collaborative-oldham', 12, 'RoleAssigned', 1, 0, 18835, 1627344000000000, 1756728000000000, 'postgres', '\x01066f6c6468616d0100096f6c6468616d2d6d310100', '\xa26fc56b130933274abeb112217099e63eecb33caf0afa62e7d8a6fbf3556d06'),
	(21, '0b708df4-c2bd-4e9a-b5cd-b7e6149f70de', 'collaborative-oldham', 13, 'MemberJoined', 1, 0, 18908, 1633651200000000, 1756728000000000, 'postgres', '\x02066f6c6468616d096f6c6468616d2d6d3302283b3647c46b11eccce850d67e182aa2bbeb72298e1bbb1fb7380daef2d3f9cb0ae5b2c18a6a0f486f020237b2480a961e7f1968c2c87e58f21fb937565c640621b21670ab66e8fd36b2f22321131902106541a2e40b3cf130457f46d86dca1b2b2161', '\x42973ab68868acecf3c42fce523b74a50a82dd2b524bff984aa750342abc3c29'),
	(22, 'a4af8dc9-05e8-4dfc-8ea6-7d0d94786ce7', 'workshop-oldham-ws-3', 1, 'WorkshopHeld', 1, 0, 18982, 1640044800000000, 1756728000000000, 'postgres', '\x010b6f6c6468616d2d77732d3301066f6c6468616d0302194d617070696e6720746865206c6f63616c2073797374656d02096f6c6468616d2d6d320773746166662d3100', '\x27db56cf30cd681c55006c75206d7c13770ca15f336cac8018a576eab26835ed'),
	(23, '516b8b07-ca8a-4e92-be67-8011ef12b868', 'collaborative-oldham', 14, 'MemberJoined', 1, 0, 19054, 1646265600000000, 1756728000000000, 'postgres', '\x02066f6c6468616d096f6c6468616d2d6d3402280ed0ecf6fa2ffb159b37a0e69c53ee78d8c431bba44367bb3512ec2f988efae93d1654a3815e8df50a0239120f301355ac2050666222ce28d6c111cfaf867f3dd73cf5a3928b22031182dd15b1cf7f0a5aae21c81db20dbb81113eca150d7e8e52200225', '\xfbcb49be4a853faae5706400bc9f4e120e0dadbcb8ed985096ab53fa80db0050'),
	(24, '0db2b1f4-002f-4fc1-937c-27380c93ff46', 'collaborative-oldham', 15, 'CoachingSessionHeld', 1, 0, 19128, 1652659200000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00010773746166662d31001f', '\xd267b1c706acf29bd72558b4ad9152f22345bb24aec1a9fce6d7fb62c0c6cb3a'),
	(25, '25bd5b3e-c953-4c9b-822f-57d39c2a4758', 'collaborative-worcestershire', 6, 'SubGroupFormed', 1, 0, 19200, 1658880000000000, 1756728000000000, 'postgres', '\x010e776f72636573746572736869726513776f7263657374657273686972652d73672d311353454e44206561726c7920737570706f72743746616d696c6965732061626c6520746f20736861706520746865207365727669636573207468656972206368696c6472656e20757365', '\xa78767e242c32398a6c8585960dc8bac1bad1ef8525e0dbaca2a233fa4f92b15'),
	(26, 'cc039a1c-8110-4414-8da1-395206aa9489', 'collaborative-worcestershire', 7, 'RoleAssigned', 1, 0, 19272, 1665100800000000, 1756728000000000, 'postgres', '\x010e776f7263657374657273686972650313776f7263657374657273686972652d73672d310773746166662d320100', '\xf33eac9a36df523b6fa1bef9188cb829a897b25698ef79ff91b4f4fa040f7a3e'),
	(27, '020aee4f-05f4-499e-b7f7-4639f21793e1', 'collaborative-worcestershire', 8, 'RoleAssigned', 1, 0, 19346, 1671494400000000, 1756728000000000, 'postgres', '\x010e776f726365737465727368697265010011776f7263657374657273686972652d6d320100', '\xf02847e8747ef292a61bc341da61ac3661f02934d6434564b2e3d29b8bf9c0fe'),
	(28, 'e20ad3f7-6910-4712-b329-42a50e58a24e', 'collaborative-worcestershire', 9, 'MemberJoined', 1, 0, 19418, 1677715200000000, 1756728000000000, 'postgres', '\x020e776f7263657374657273686972650773746166662d33022a2df7878edbd4b71d31da53e52941a85aad9f682da7354a4f119bbd29f2c5456ae6340a138a82c03c68a50f0233bdb16f2086b757014ac570748ae0efd5a5957571261706da3a605c4ff3e0221e132feb452f9b3fa06ca57b4b99bb14dc6389af', '\xe0fdfe1c5190f152b99bb66afc8ecf04064e14b243fc037fe785ef8e6a468763'),
	(29, '6b5653ee-dfd3-424e-a025-d943ebd37bf0', 'collaborative-oldham', 16, 'CoachingSessionHeld', 1, 0, 19492, 1684108800000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00030773746166662d3104096f6c6468616d2d6d31096f6c6468616d2d6d32096f6c6468616d2d6d33096f6c6468616d2d6d345b', '\x46c263008581b4abf949ff99613571af659c3d1d5c49ec35126d35a6867e59fa'),
	(30, '4fe9d0d1-4c4a-40cb-8097-a2d27b75a5de', 'collaborative-worcestershire', 10, 'MemberJoined', 1, 0, 19564, 1690329600000000, 1756728000000000, 'postgres', '\x020e776f72636573746572736869726511776f7263657374657273686972652d6d33000a0241a39c17f3d90ae27704b67b0e1e576bd5fa3b4cb74e31bc09ca24b99806ff2a33998515833ea4ca7ecddec888bbc438f76b25c5c0bd17bd1dff72903a3f61aeda5d', '\x79ecf2fb5e00118b0ea229a8edad07c16cc76f08498ebcf4136f33949eec52fa'),
	(31, 'c1955ff8-784c-4ca7-be05-35f724986463', 'collaborative-oldham', 17, 'MemberJoined', 1, 0, 19639, 1696809600000000, 1756728000000000, 'postgres', '\x02066f6c6468616d096f6c6468616d2d6d350229d3e35379a50c6c84549a53fd403b4521023c238b8911fc9f343bfe0ddd9db08b387805548dafeeabca010237ee0997770050671bd508cf17b08ede1f6d387b706b17a6a86446025dbafda7b493de8a499eb73e1084ea0c8adee6c30ebf9cba67543030', '\x14c26d5876085758c90a4c8e1bc3211af985d89c757ab3ee171e18919e67b5ca'),
	(32, '512dbd24-ec62-42c7-ad3c-7f38c79272fa', 'workshop-oldham-ws-4', 1, 'WorkshopHeld', 1, 0, 19711, 1703030400000000, 1756728000000000, 'postgres', '\x010b6f6c6468616d2d77732d3401066f6c6468616d0201144561726c792068656c7020706174687761797303096f6c6468616d2d6d31096f6c6468616d2d6d32096f6c6468616d2d6d3500', '\x19f4b7e8a04b4d8a438a4a72e63ab6a978099992acabd8befcf6d1582fcc3747'),
	(33, 'aa946c38-7372-4bf8-9e0f-302d9b6f9a1d', 'collaborative-oldham', 18, 'CoachingSessionHeld', 1, 0, 19783, 1709251200000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00060773746166662d3102096f6c6468616d2d6d31096f6c6468616d2d6d343d', '\x2a8e6bb115ca0ecd2e25bf257d4fed483d10357e2fa99c2f3e29a630334ab866'),
	(34, 'a469692e-556d-427b-97e6-7be61dcc8d91', 'subgroup-worcestershire-sg-1', 1, 'SubGroupMemberJoined', 1, 0, 19857, 1715644800000000, 1756728000000000, 'postgres', '\x0113776f7263657374657273686972652d73672d3111776f7263657374657273686972652d6d31', '\x2c332a24f635fc2e8b5805e7ed1be22d16231b60187f09deb05f5ea50b5ed212'),
	(35, 'bd680ba5-05ae-4b15-8de4-32bf94ad5fd3', 'collaborative-oldham', 19, 'CoachingSessionHeld', 1, 0, 19929, 1721865600000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00030773746166662d31001f', '\x4c45cfef733668d4bfc976035bda5a77a6d80f7d5cbe2eb2f1c8a976e796800b'),
	(36, 'be83cd6a-5d04-457f-b5c7-8f62b8a2711b', 'collaborative-oldham', 20, 'CoachingSessionHeld', 1, 0, 20003, 1728259200000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00010773746166662d310000', '\x3bc0293377af67449913d541b9aa40d8cb9363f453aab14d094dde2a23ad039e'),
	(37, '1a6cef25-f361-48d4-b978-5b7b01c00bc0', 'collaborative-oldham', 21, 'CoachingSessionHeld', 1, 0, 20075, 1734480000000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00010773746166662d310000', '\x8e83cee594aa0ceb8344ea63123c5c1aa6bdc8630ee324df35519879ef01a793'),
	(38, '9693a5e3-5358-4bae-acca-c97e2887b199', 'collaborative-oldham', 22, 'CoachingSessionHeld', 1, 0, 20147, 1740700800000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00070773746166662d3105096f6c6468616d2d6d31096f6c6468616d2d6d32096f6c6468616d2d6d33096f6c6468616d2d6d34096f6c6468616d2d6d3500', '\xf7f44474c0c28cac8b2cb5231e3b6fb9080682af711f65ea92ec7629be4c537e'),
	(39, '7e412a45-a4b9-4523-8b3d-12ed716af5cf', 'collaborative-oldham', 23, 'CoachingSessionHeld', 1, 0, 20221, 1747094400000000, 1756728000000000, 'postgres', '\x01066f6c6468616d00030773746166662d31005b', '\x95f022d3609fc4b9b3dfedfd3fe1a55f689245bf917719f0236dfa60f76ca7a1'),
	(40, 'b35b289b-6b74-4341-9f80-f3d45d32785c', 'collaborative-oldham', 24, 'RoleAssigned', 1, 0, 20293, 1753315200000000, 1756728000000000, 'postgres', '\x01066f6c6468616d0100096f6c6468616d2d6d320100', '\x722ee740a805d592c461687f9d2262629c1417ba1a08dfe9779504ad49eee856');
-- ;;
INSERT INTO chronicle.head VALUES
	(true, 40, '\x722ee740a805d592c461687f9d2262629c1417ba1a08dfe9779504ad49eee856', 1756728000000000);
-- ;;
INSERT INTO chronicle.meta VALUES
	('format', '1'),
	('tag_scheme', 'collaboratives-tags-2'),
	('tag_position', '40');
-- ;;
INSERT INTO chronicle.subject_keys VALUES
	('member-worcestershire-m2', '\xf5057d15092496bf2482d5cad8c329ce77a34c061df191a92e647ec171268a93'),
	('member-worcestershire-m1', '\x45220ab7eb9d05e7e52da3d92fa931d87189dc3a1d83a9b7ec87d7852b4b1815'),
	('member-worcestershire-m3', '\xa31c3a939bf04539fc0707ee756699b7f1d5da1b3b26a426eba9351a43014f0c'),
	('member-staff-2', '\x939f56a27c86b158323cd4c25e44a7617f206c65b76e62778900c153b92d1cee'),
	('member-staff-1', '\x13f9ba39739645c3b031fa5feabf572154d5e82e64dde6e2138db44c8a08d464'),
	('member-oldham-m3', '\xdc5734a764c752295d78cafd9e498d4d6d6ed083901740d4cde3f7cefb3c1cfd'),
	('member-oldham-m5', '\x56c14f2033be54e42a20a6e6bf6f08bdc1b3f70b59be0b2e995a1bd6542c3ba4'),
	('member-staff-3', '\x115ce348ad99a8b2390a9e09661f4230b0e5f9026934edcf8f089416362ce414'),
	('member-oldham-m2', '\x4b42b895ce39e30d12155a39102f1c9e672d5d567d6b0c7dad010b7c75900bb6'),
	('member-oldham-m1', '\x7f61fb859df8151e07a4acb14474d20da1ce905be350a52ae340466980e43ad9'),
	('member-oldham-m4', '\xaeb66f4a2f5688d0fa1d5345612fe50cbd337e6dd1d24a95faf17dac460a7f33');
-- ;;
INSERT INTO chronicle.tags VALUES
	('in/oldham', 38),
	('in/oldham', 39),
	('m/worcestershire-m2', 27),
	('m/oldham-m2', 38),
	('p/oldham-m1', 20),
	('m/staff-1', 22),
	('in/oldham', 7),
	('p/oldham-m2', 4),
	('p/staff-1', 6),
	('m/staff-1', 36),
	('m/staff-1', 10),
	('in/oldham', 5),
	('m/worcestershire-m3', 30),
	('m/oldham-m2', 8),
	('m/oldham-m1', 7),
	('c/oldham', 1),
	('m/oldham-m5', 38),
	('p/oldham-m5', 31),
	('m/staff-1', 38),
	('m/oldham-m2', 40),
	('m/oldham-m1', 15),
	('w/oldham-ws-2', 10),
	('s/worcestershire-sg-1', 25),
	('in/worcestershire', 11),
	('m/staff-1', 9),
	('in/oldham', 37),
	('m/staff-1', 29),
	('w/oldham-ws-3', 22),
	('in/oldham', 6),
	('m/oldham-m1', 29),
	('m/oldham-m1', 38),
	('m/oldham-m2', 29),
	('in/worcestershire', 19),
	('p/staff-2', 26),
	('p/oldham-m2', 40),
	('p/worcestershire-m1', 13),
	('m/staff-1', 6),
	('w/oldham-ws-4', 32),
	('m/staff-1', 16),
	('in/oldham', 22),
	('m/oldham-m2', 9),
	('m/oldham-m3', 29),
	('g/worcestershire-sg-1', 26),
	('m/oldham-m2', 22),
	('in/worcestershire', 27),
	('in/oldham', 33),
	('m/staff-1', 37),
	('m/oldham-m4', 33),
	('m/worcestershire-m1', 19),
	('p/staff-2', 12),
	('in/oldham', 8),
	('m/oldham-m4', 23),
	('m/oldham-m1', 18),
	('m/staff-2', 19),
	('m/worcestershire-m1', 34),
	('in/oldham', 1),
	('p/oldham-m3', 21),
	('m/worcestershire-m1', 13),
	('m/oldham-m2', 4),
	('g/worcestershire-sg-1', 25),
	('p/worcestershire-m3', 30),
	('m/staff-1', 2),
	('m/staff-2', 26),
	('in/oldham', 9),
	('m/staff-1', 7),
	('in/oldham', 4),
	('m/oldham-m5', 31),
	('p/staff-3', 28),
	('m/staff-2', 12),
	('m/oldham-m1', 10),
	('in/worcestershire', 30),
	('in/oldham', 23),
	('in/oldham', 18),
	('m/oldham-m1', 5),
	('m/oldham-m1', 3),
	('in/oldham', 3),
	('m/staff-1', 8),
	('in/oldham', 16),
	('in/worcestershire', 13),
	('in/oldham', 40),
	('m/staff-1', 33),
	('m/staff-1', 35),
	('in/worcestershire', 12),
	('in/oldham', 15),
	('p/oldham-m4', 23),
	('m/worcestershire-m2', 14),
	('m/oldham-m2', 7),
	('m/staff-1', 15),
	('in/oldham', 29),
	('in/worcestershire', 25),
	('in/oldham', 32),
	('in/oldham', 20),
	('p/worcestershire-m2', 14),
	('m/oldham-m5', 32),
	('in/oldham', 35),
	('in/worcestershire', 14),
	('m/oldham-m2', 18),
	('p/oldham-m1', 3),
	('m/oldham-m1', 32),
	('m/oldham-m1', 9);
-- ;;
INSERT INTO chronicle.tags VALUES
	('in/worcestershire', 28),
	('m/staff-1', 39),
	('m/oldham-m4', 38),
	('m/oldham-m1', 20),
	('m/oldham-m3', 38),
	('m/staff-3', 28),
	('in/oldham', 10),
	('m/staff-1', 5),
	('p/worcestershire-m2', 27),
	('m/staff-1', 24),
	('in/worcestershire', 26),
	('in/oldham', 2),
	('c/worcestershire', 11),
	('in/oldham', 31),
	('p/staff-1', 2),
	('in/oldham', 36),
	('m/staff-1', 18),
	('g/worcestershire-sg-1', 34),
	('r/8f395f1e-a07d-4c98-8026-aa1984cf1746', 17),
	('m/oldham-m2', 32),
	('w/oldham-ws-1', 5),
	('m/oldham-m1', 33),
	('m/oldham-m3', 21),
	('m/oldham-m4', 29),
	('in/oldham', 21),
	('m/worcestershire-m2', 19),
	('in/oldham', 24);
-- ;;
ALTER TABLE ONLY chronicle.checkpoints
    ADD CONSTRAINT checkpoints_pkey PRIMARY KEY (name);
-- ;;
ALTER TABLE ONLY chronicle.events
    ADD CONSTRAINT events_id_key UNIQUE (id);
-- ;;
ALTER TABLE ONLY chronicle.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (seq);
-- ;;
ALTER TABLE ONLY chronicle.events
    ADD CONSTRAINT events_stream_stream_version_key UNIQUE (stream, stream_version);
-- ;;
ALTER TABLE ONLY chronicle.head
    ADD CONSTRAINT head_pkey PRIMARY KEY (singleton);
-- ;;
ALTER TABLE ONLY chronicle.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);
-- ;;
ALTER TABLE ONLY chronicle.recording_scopes
    ADD CONSTRAINT recording_scopes_pkey PRIMARY KEY (role, scope);
-- ;;
ALTER TABLE ONLY chronicle.subject_keys
    ADD CONSTRAINT subject_keys_pkey PRIMARY KEY (subject);
-- ;;
ALTER TABLE ONLY chronicle.tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY (tag, seq);
-- ;;
CREATE INDEX events_occurred ON chronicle.events USING btree (occurred_sort, seq);
-- ;;
CREATE INDEX events_recorded_at ON chronicle.events USING btree (recorded_at, seq);
-- ;;
CREATE INDEX events_type ON chronicle.events USING btree (type, seq);
-- ;;
CREATE TRIGGER events_append_only BEFORE DELETE OR UPDATE ON chronicle.events FOR EACH ROW EXECUTE FUNCTION chronicle.refuse_change();
-- ;;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON chronicle.events FOR EACH STATEMENT EXECUTE FUNCTION chronicle.refuse_change();
-- ;;
GRANT USAGE ON SCHEMA chronicle TO {database}_reader;
-- ;;
REVOKE ALL ON FUNCTION chronicle.add_tags(p_from bigint, p_through bigint, p_seqs bigint[], p_tags text[]) FROM PUBLIC;
-- ;;
GRANT ALL ON FUNCTION chronicle.add_tags(p_from bigint, p_through bigint, p_seqs bigint[], p_tags text[]) TO {database}_recorder;
-- ;;
REVOKE ALL ON FUNCTION chronicle.append_events(p_ids uuid[], p_streams text[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_payloads bytea[], p_tag_events integer[], p_tag_names text[], p_requested_at bigint, p_allow_clock_behind boolean) FROM PUBLIC;
-- ;;
GRANT ALL ON FUNCTION chronicle.append_events(p_ids uuid[], p_streams text[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_payloads bytea[], p_tag_events integer[], p_tag_names text[], p_requested_at bigint, p_allow_clock_behind boolean) TO {database}_recorder;
-- ;;
REVOKE ALL ON FUNCTION chronicle.event_body(seq bigint, id uuid, stream_version bigint, recorded_at bigint, occurred_kind smallint, occurred_value bigint, schema_version integer, type text, stream text, recorded_by text, payload bytea) FROM PUBLIC;
-- ;;
GRANT ALL ON FUNCTION chronicle.event_body(seq bigint, id uuid, stream_version bigint, recorded_at bigint, occurred_kind smallint, occurred_value bigint, schema_version integer, type text, stream text, recorded_by text, payload bytea) TO {database}_reader;
-- ;;
REVOKE ALL ON FUNCTION chronicle.lock_head(OUT seq bigint, OUT hash bytea, OUT recorded_at bigint) FROM PUBLIC;
-- ;;
GRANT ALL ON FUNCTION chronicle.lock_head(OUT seq bigint, OUT hash bytea, OUT recorded_at bigint) TO {database}_recorder;
-- ;;
REVOKE ALL ON FUNCTION chronicle.refuse_change() FROM PUBLIC;
-- ;;
REVOKE ALL ON FUNCTION chronicle.reset_tags(p_scheme text) FROM PUBLIC;
-- ;;
GRANT ALL ON FUNCTION chronicle.reset_tags(p_scheme text) TO {database}_recorder;
-- ;;
REVOKE ALL ON FUNCTION chronicle.restore_events(p_seqs bigint[], p_ids uuid[], p_streams text[], p_versions bigint[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_recorded_ats bigint[], p_recorded_bys text[], p_payloads bytea[], p_hashes bytea[], p_tag_events integer[], p_tag_names text[], p_with_tags boolean) FROM PUBLIC;
-- ;;
GRANT ALL ON FUNCTION chronicle.restore_events(p_seqs bigint[], p_ids uuid[], p_streams text[], p_versions bigint[], p_types text[], p_schema_versions integer[], p_kinds smallint[], p_values bigint[], p_recorded_ats bigint[], p_recorded_bys text[], p_payloads bytea[], p_hashes bytea[], p_tag_events integer[], p_tag_names text[], p_with_tags boolean) TO {database}_admin;
-- ;;
REVOKE ALL ON FUNCTION chronicle.string16(value text) FROM PUBLIC;
-- ;;
GRANT ALL ON FUNCTION chronicle.string16(value text) TO {database}_reader;
-- ;;
GRANT SELECT ON TABLE chronicle.checkpoints TO {database}_reader;
-- ;;
GRANT INSERT,UPDATE ON TABLE chronicle.checkpoints TO {database}_recorder;
-- ;;
GRANT SELECT ON TABLE chronicle.events TO {database}_reader;
-- ;;
GRANT SELECT ON TABLE chronicle.head TO {database}_reader;
-- ;;
GRANT SELECT ON TABLE chronicle.meta TO {database}_reader;
-- ;;
GRANT SELECT ON TABLE chronicle.recording_scopes TO {database}_reader;
-- ;;
GRANT INSERT,DELETE ON TABLE chronicle.recording_scopes TO {database}_admin;
-- ;;
GRANT SELECT ON TABLE chronicle.subject_keys TO {database}_reader;
-- ;;
GRANT INSERT ON TABLE chronicle.subject_keys TO {database}_recorder;
-- ;;
GRANT DELETE ON TABLE chronicle.subject_keys TO {database}_admin;
-- ;;
GRANT SELECT ON TABLE chronicle.tags TO {database}_reader;
-- ;;
