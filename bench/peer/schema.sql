-- The peer's schema: what a competent engineer would give the département's waiting lists in PostgreSQL.
-- Codes are Listes360's numeric values (statuses 1-5 open, 6 admitted, 11 solution found elsewhere;
-- modalities 1-6; situations as SituationKind), so that both systems answer from the same data.
create extension if not exists pg_trgm;

create table esms (
    finess      char(9) primary key,
    department  text not null,
    name        text not null,
    kind        smallint not null,
    family      smallint not null,      -- SupportFamily: an admission ends the waiting in the same family
    audience    smallint not null,
    age_from    int not null,
    age_until   int,                    -- exclusive; null: no upper bound
    territory   text,
    commune     text,
    latitude    double precision,
    longitude   double precision
);
-- Which CDAPH orientations an ESMS of a kind accepts (KindsOfSupport.AcceptedOrientations).
create table accepted_orientation (
    esms_kind        smallint not null,
    orientation_kind smallint not null,
    primary key (esms_kind, orientation_kind)
);

create table places (
    finess      char(9) not null references esms,
    modality    smallint not null,
    capacity    int not null check (capacity >= 0),
    occupied    int not null check (occupied >= 0 and occupied <= capacity),
    primary key (finess, modality)
);

create table person (
    id              bigint primary key,
    department      text not null,
    birth_name      text not null,
    usage_name      text,
    first_names     text not null,
    birth_date      date not null,
    mdph            text,
    nir_hash        text,
    commune         text,
    territory       text,
    latitude        double precision,
    longitude       double precision,
    situation       smallint,
    situation_since date,
    urgency         boolean not null default false,
    carer_exhausted boolean not null default false,
    carer_age       int,
    block_key       text not null,       -- birth date + French phonetic keys of last and first names
    search_text     text not null        -- folded names (birth, usage, first names), for trigram search
);
create sequence person_ids;
create index person_nir on person (nir_hash) where nir_hash is not null;
create index person_mdph on person (mdph) where mdph is not null;
create index person_block on person (block_key, id);
create index person_identity on person (department, birth_date, birth_name);

-- Months between two dates as the grid counts them (whole months, 0 when the second is earlier).
create function whole_months(since date, until date) returns int language sql immutable parallel safe as $$
    select greatest(0, (extract(year from age(until, since)) * 12 + extract(month from age(until, since)))::int)
$$;
-- Great-circle distance in km (haversine), as Listes360's GeoPoint.DistanceKmTo.
create function distance_km(lat1 float8, lon1 float8, lat2 float8, lon2 float8) returns float8 language sql immutable parallel safe as $$
    select 2 * 6371.0088 * asin(least(1, sqrt(sin(radians(lat2 - lat1) / 2) ^ 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2)))
$$;
create index person_search on person using gin (search_text gin_trgm_ops);
create index person_department on person (department, territory);

create table orientation (
    person_id   bigint not null references person,
    decision    text not null,
    kind        smallint not null,
    valid_from  date not null,
    valid_to    date,
    primary key (person_id, decision, kind)
);

create table candidature (
    id                    bigserial primary key,
    person_id             bigint not null references person,
    finess                char(9) not null references esms,
    modality              smallint not null,
    kind                  smallint not null,
    family                smallint not null,
    audience              smallint not null,
    status                smallint not null,
    status_since          date not null,
    request_date          date not null,
    waiting_for_preferred boolean not null default false,
    refused_offers        int not null default 0,
    unique (person_id, finess, modality)
);
-- The ranking reads one ESMS and modality's open candidatures; the list and counts read open ones by person.
create index candidature_ranking on candidature (finess, modality) include (status, request_date, person_id) where status between 1 and 5;
create index candidature_person on candidature (person_id) include (status, family, audience, modality) ;

create table candidature_history (
    candidature_id bigint not null references candidature,
    at             timestamptz not null,
    from_status    smallint not null,
    to_status      smallint not null,
    reason         text,
    cause          bigint
);
create index candidature_history_candidature on candidature_history (candidature_id);

-- Sequential placements (operation f): free half-days an ESMS declares, and what a person needs.
create table availability (
    id          bigserial primary key,
    finess      char(9) not null references esms,
    modality    smallint not null,
    half_days   int not null,            -- 14-bit week mask, Monday morning first (WeekSlots)
    places      int not null check (places >= 1),
    valid_from  date not null,
    valid_to    date
);
create index availability_finess on availability (finess);

create table sequential_needs (
    person_id       bigint primary key references person,
    amount          int not null,
    unit            smallint not null,   -- 1 days, 2 half-days (NeedUnit)
    modalities      smallint[] not null,
    max_distance_km double precision,
    territories     text[] not null default '{}',
    valid_from      date not null
);
