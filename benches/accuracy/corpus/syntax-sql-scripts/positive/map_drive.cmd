@echo off
set "SVC_USER=CORP\svc_files"
set "SVC_PASS=Ban356$harbG"
net use S: \\fs01\shared /user:%SVC_USER% %SVC_PASS% /persistent:no
