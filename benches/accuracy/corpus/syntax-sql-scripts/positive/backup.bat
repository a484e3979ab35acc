@echo off
set PGHOST=db01
set PGUSER=backup
set PGPASSWORD=T@ng0Qu@rtz2
set BACKUP_DIR=D:\backups\%date:~-4%%date:~3,2%%date:~0,2%
mkdir "%BACKUP_DIR%"
"C:\Program Files\PostgreSQL\15\bin\pg_dump.exe" -Fc -f "%BACKUP_DIR%\erp.dump" erp
