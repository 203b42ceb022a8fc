-- The SCIM store's schema, version 1.
--
-- resources: one row per User or Group. `body` is the canonical resource as
-- JSON without what the store owns (id, meta, members, groups). The other
-- columns copy the values that are looked up, kept unique or sorted on:
-- `name_lc` is userName (User) or displayName (Group) lowercased, the unique
-- key; `display_lc` is displayName lowercased; `external_id` is externalId as
-- given (caseExact, RFC 7643 §3.1). Times are RFC 3339 UTC with milliseconds,
-- one fixed width, so that they sort as text.
CREATE TABLE resources (
    rid         INTEGER PRIMARY KEY,
    type        TEXT NOT NULL CHECK (type IN ('User', 'Group')),
    id          TEXT NOT NULL UNIQUE,
    name_lc     TEXT NOT NULL,
    display_lc  TEXT,
    external_id TEXT,
    body        TEXT NOT NULL,
    created     TEXT NOT NULL,
    modified    TEXT NOT NULL,
    version     INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX resources_name ON resources (type, name_lc);
CREATE INDEX resources_display ON resources (type, display_lc);
CREATE INDEX resources_external_id ON resources (type, external_id);

-- memberships: group `group_rid` has member `member_rid` (a User or a Group).
-- A member's type is its row's `type`, never a copy that could disagree.
-- Deleting either side deletes the membership.
CREATE TABLE memberships (
    group_rid  INTEGER NOT NULL REFERENCES resources (rid) ON DELETE CASCADE,
    member_rid INTEGER NOT NULL REFERENCES resources (rid) ON DELETE CASCADE,
    PRIMARY KEY (group_rid, member_rid)
) STRICT, WITHOUT ROWID;

CREATE INDEX memberships_member ON memberships (member_rid, group_rid);
