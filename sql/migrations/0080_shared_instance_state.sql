-- Issue 16 item 2, stateless instances: what every dashboard instance must share lives here, not in process memory,
-- so a load balancer may send any request to any instance.

-- ASP.NET Core Data Protection key ring (one XML <key> element per row): a cookie or antiforgery token protected by
-- one instance is unprotected by another. friendly_name is the key's file name as Data Protection names it.
CREATE TABLE data_protection_key (
    friendly_name VARCHAR PRIMARY KEY,
    xml           VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

-- Sign-in attempts per client address (the rate limit of POST /login): a one-minute window that opens at the client's
-- first attempt, counted by every instance together. Windows older than 5 minutes are deleted as attempts are counted.
CREATE TABLE sign_in_attempt (
    client       VARCHAR PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL
);

-- The errors.csv of a rejected upload, kept for its uploader's download (GET /upload/errors/{id}) from any instance.
CREATE TABLE upload_error_file (
    id         VARCHAR PRIMARY KEY,
    owner      VARCHAR NOT NULL,
    file_name  VARCHAR NOT NULL,
    content    VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
