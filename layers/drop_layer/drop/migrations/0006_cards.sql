-- Card history: every status change and every sensitive card action leaves a row (DESIGN §7).
-- Never the PIN, its hash, the issuer token or an address: only what happened and when.
CREATE TABLE card_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    card_id      text NOT NULL REFERENCES cards (id),
    action       text NOT NULL CHECK (action IN (
                     'issued', 'frozen', 'unfrozen', 'cancelled', 'pin_set', 'physical_ordered', 'limit_set')),
    from_status  text,
    to_status    text NOT NULL,
    detail       text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX card_events_by_card ON card_events (card_id, id);
