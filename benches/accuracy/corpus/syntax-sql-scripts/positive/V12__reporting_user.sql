-- read-only account for the BI tool
CREATE USER 'bi_reader'@'%' IDENTIFIED BY 'Tundra66%6rGJ';
GRANT SELECT ON reporting.* TO 'bi_reader'@'%';
FLUSH PRIVILEGES;
