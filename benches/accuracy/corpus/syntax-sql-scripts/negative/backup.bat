@echo off
set PGHOST=db01
set PGUSER=backup
set /p PGPASSWORD=Password for %PGUSER%: 
"C:\Program Files\PostgreSQL\15\bin\pg_dump.exe" -Fc -f D:\backups\erp.dump erp
