#!/bin/bash
BACKUP_USER="backup"
BACKUP_PASSWORD='Shadow%Dragon#2015'
export RESTIC_PASSWORD="ALPvoh6fV#SYvCf1rFCR%Jwr"
restic -r sftp:backup@nas01:/srv/restic backup /srv/data
