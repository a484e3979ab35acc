INSERT INTO users (id, email, password_hash, role)
VALUES (1, 'admin@acme.example', NULL, 'admin');
-- the admin sets a password through the invitation link
INSERT INTO settings (key, value) VALUES ('password_min_length', '12'), ('password_reset_ttl', '1800');
