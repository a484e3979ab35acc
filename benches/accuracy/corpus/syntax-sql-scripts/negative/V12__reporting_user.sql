-- the password is set by the provisioning job from the secret store
CREATE USER 'bi_reader'@'%' IDENTIFIED WITH auth_socket;
GRANT SELECT ON reporting.* TO 'bi_reader'@'%';
