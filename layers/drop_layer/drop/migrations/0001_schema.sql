-- Drop's whole schema. Money is NUMERIC, never float. Every list query has an index behind it.
-- IDs are '<prefix>_<16 hex>' text keys made by the application (DESIGN §6.10).

CREATE TABLE users (
    id              text PRIMARY KEY,
    bankid_altsub   text UNIQUE,
    email           text,
    password_hash   text,
    first_name      text NOT NULL,
    last_name       text NOT NULL,
    phone           text,
    date_of_birth   date,
    kyc_status      text NOT NULL DEFAULT 'pending' CHECK (kyc_status IN ('pending', 'approved', 'rejected')),
    role            text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'merchant')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    pseudonymised_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE sessions (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users (id),
    client      text NOT NULL CHECK (client IN ('web', 'mobile')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX sessions_active_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- One row per started BankID login: state, nonce and PKCE verifier stay server-side.
CREATE TABLE auth_flows (
    state          text PRIMARY KEY,
    nonce          text NOT NULL,
    code_verifier  text NOT NULL,
    platform       text NOT NULL CHECK (platform IN ('web', 'mobile')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz
);
CREATE INDEX auth_flows_expiry ON auth_flows (expires_at);

-- Mobile one-time codes, exchanged once for a Bearer token. Only the hash is stored.
CREATE TABLE auth_codes (
    code_hash   text PRIMARY KEY,
    session_id  text NOT NULL REFERENCES sessions (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE bank_accounts (
    id                  text PRIMARY KEY,
    user_id             text NOT NULL REFERENCES users (id),
    bank_name           text NOT NULL,
    account_number      text NOT NULL,
    balance             numeric(14, 2) NOT NULL CHECK (balance >= 0),
    currency            text NOT NULL DEFAULT 'NOK',
    is_primary          boolean NOT NULL DEFAULT false,
    balance_updated_at  timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, account_number)
);
CREATE INDEX bank_accounts_by_user ON bank_accounts (user_id, created_at, id);
CREATE UNIQUE INDEX bank_accounts_one_primary ON bank_accounts (user_id) WHERE is_primary;

CREATE TABLE exchange_rates (
    currency       text PRIMARY KEY,
    base_currency  text NOT NULL DEFAULT 'NOK',
    rate           numeric(18, 6) NOT NULL CHECK (rate > 0),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO exchange_rates (currency, rate) VALUES
    ('RSD', 11.7), ('BAM', 1.04), ('PLN', 0.41), ('PKR', 26.8), ('TRY', 3.45), ('EUR', 0.089);

CREATE TABLE recipients (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (id),
    name          text NOT NULL,
    country       text NOT NULL CHECK (country IN ('RS', 'BA', 'PL', 'PK', 'TR')),
    currency      text NOT NULL,
    bank_account  text NOT NULL,
    bank_name     text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz
);
CREATE INDEX recipients_by_user ON recipients (user_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE merchants (
    id             text PRIMARY KEY,
    user_id        text NOT NULL UNIQUE REFERENCES users (id),
    business_name  text NOT NULL,
    org_number     text NOT NULL UNIQUE,
    address        text,
    bank_account   text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A locked disclosure: the rate and amounts a remittance passing this quote gets.
CREATE TABLE quotes (
    id                  text PRIMARY KEY,
    user_id             text NOT NULL REFERENCES users (id),
    type                text NOT NULL CHECK (type IN ('remittance', 'qr_payment')),
    amount              numeric(14, 2) NOT NULL CHECK (amount > 0),
    currency            text NOT NULL,
    recipient_id        text REFERENCES recipients (id),
    merchant_id         text REFERENCES merchants (id),
    fee                 numeric(14, 2) NOT NULL,
    exchange_rate       numeric(18, 6),
    receive_amount      numeric(18, 2),
    receive_currency    text,
    total               numeric(14, 2) NOT NULL,
    estimated_delivery  text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    used_at             timestamptz
);
CREATE INDEX quotes_by_user ON quotes (user_id, created_at DESC);

CREATE TABLE transactions (
    id                 text PRIMARY KEY,
    user_id            text NOT NULL REFERENCES users (id),
    type               text NOT NULL CHECK (type IN ('remittance', 'qr_payment')),
    status             text NOT NULL CHECK (status IN ('processing', 'completed', 'failed')),
    send_amount        numeric(14, 2) NOT NULL CHECK (send_amount > 0),
    send_currency      text NOT NULL DEFAULT 'NOK',
    receive_amount     numeric(18, 2),
    receive_currency   text,
    exchange_rate      numeric(18, 6),
    fee                numeric(14, 2) NOT NULL CHECK (fee >= 0),
    fee_percent        numeric(5, 2) NOT NULL,
    total              numeric(14, 2) NOT NULL CHECK (total > 0),
    debited_amount     numeric(14, 2) NOT NULL CHECK (debited_amount > 0),
    recipient_id       text REFERENCES recipients (id),
    recipient_name     text,
    recipient_country  text,
    merchant_id        text REFERENCES merchants (id),
    merchant_name      text,
    bank_account_id    text NOT NULL REFERENCES bank_accounts (id),
    from_account       text NOT NULL,
    eta                text,
    quote_id           text REFERENCES quotes (id),
    idempotency_key    text,
    pisp_payment_id    text,
    failure_reason     text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    UNIQUE (user_id, idempotency_key),
    CHECK ((type = 'remittance') = (recipient_id IS NOT NULL)),
    CHECK ((type = 'qr_payment') = (merchant_id IS NOT NULL))
);
CREATE INDEX transactions_by_user ON transactions (user_id, created_at DESC, id DESC);
CREATE INDEX transactions_by_user_type ON transactions (user_id, type, created_at DESC, id DESC);
CREATE INDEX transactions_by_user_status ON transactions (user_id, status, created_at DESC, id DESC);
CREATE INDEX transactions_by_user_type_status ON transactions (user_id, type, status, created_at DESC, id DESC);
CREATE INDEX transactions_by_merchant ON transactions (merchant_id, created_at DESC, id DESC)
    WHERE merchant_id IS NOT NULL;
CREATE UNIQUE INDEX transactions_quote_used_once ON transactions (quote_id) WHERE quote_id IS NOT NULL;

-- Append-only status history: nothing changes without a trace.
CREATE TABLE transaction_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  text NOT NULL REFERENCES transactions (id),
    from_status     text,
    to_status       text NOT NULL,
    reason          text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transaction_events_by_tx ON transaction_events (transaction_id, id);

-- Messages committed with the change that caused them; sent to SQS after commit, swept if missed.
CREATE TABLE outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;

CREATE TABLE idempotency_keys (
    user_id          text NOT NULL REFERENCES users (id),
    idempotency_key  text NOT NULL,
    route            text NOT NULL,
    request_hash     text NOT NULL,
    status           text NOT NULL CHECK (status IN ('in_progress', 'completed')),
    response_status  integer,
    response_body    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Fixed one-minute windows; the limiter weighs the previous window to approximate a sliding one.
CREATE TABLE rate_limits (
    bucket        text NOT NULL,
    window_start  timestamptz NOT NULL,
    count         integer NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- Maintained counters so pagination totals never need count(*) over a growing table.
CREATE TABLE counters (
    scope  text NOT NULL,
    name   text NOT NULL,
    value  bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
    PRIMARY KEY (scope, name)
);

CREATE TABLE notifications (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users (id),
    type        text NOT NULL,
    title       text NOT NULL,
    body        text NOT NULL,
    read        boolean NOT NULL DEFAULT false,
    read_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at DESC, id DESC);

CREATE TABLE user_settings (
    user_id        text PRIMARY KEY REFERENCES users (id),
    currency       text NOT NULL DEFAULT 'NOK',
    language       text NOT NULL DEFAULT 'nb',
    push_enabled   boolean NOT NULL DEFAULT true,
    email_enabled  boolean NOT NULL DEFAULT true,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consents (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (id),
    consent_type  text NOT NULL
        CHECK (consent_type IN ('terms', 'privacy', 'marketing', 'cookies_analytics', 'cookies_marketing')),
    granted       boolean NOT NULL,
    granted_at    timestamptz,
    withdrawn_at  timestamptz,
    ip_address    text,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, consent_type)
);

-- Every grant and withdrawal, kept for the audit trail the consents row alone cannot give.
CREATE TABLE consent_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consent_id    text NOT NULL REFERENCES consents (id),
    granted       boolean NOT NULL,
    ip_address    text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE complaints (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id),
    category     text NOT NULL
        CHECK (category IN ('transaction', 'service', 'fees', 'privacy', 'technical', 'other')),
    subject      text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200),
    description  text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 2000),
    status       text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_review', 'resolved')),
    resolution   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    due_at       timestamptz NOT NULL,
    resolved_at  timestamptz
);
CREATE INDEX complaints_by_user ON complaints (user_id, created_at DESC, id DESC);

CREATE TABLE complaint_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  text NOT NULL REFERENCES complaints (id),
    from_status   text,
    to_status     text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Drop stores no PAN and no CVV: the issuer keeps them, we keep its token and the last four digits.
CREATE TABLE cards (
    id                   text PRIMARY KEY,
    user_id              text NOT NULL REFERENCES users (id),
    type                 text NOT NULL CHECK (type IN ('virtual', 'physical')),
    status               text NOT NULL CHECK (status IN ('active', 'frozen', 'cancelled')),
    issuer_token         text NOT NULL,
    last4                text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    expiry_month         integer,
    expiry_year          integer,
    pin_hash             text,
    shipping_address     text,
    physical_ordered_at  timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cards_by_user ON cards (user_id, created_at DESC, id DESC) WHERE status <> 'cancelled';

CREATE TABLE card_limits (
    card_id     text NOT NULL REFERENCES cards (id),
    limit_type  text NOT NULL CHECK (limit_type IN ('daily', 'weekly', 'monthly', 'transaction')),
    amount      numeric(14, 2) NOT NULL CHECK (amount > 0),
    currency    text NOT NULL DEFAULT 'NOK',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (card_id, limit_type)
);

CREATE TABLE data_access_requests (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (id),
    type          text NOT NULL CHECK (type IN ('export', 'erasure')),
    status        text NOT NULL CHECK (status IN ('pending', 'completed')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz
);
CREATE INDEX data_access_requests_by_user ON data_access_requests (user_id, created_at DESC);
