INSERT INTO users (id, email, password, role)
VALUES (1, 'admin@acme.example', 'Silver67_UhFX', 'admin');
