@echo off
rem the * makes net use prompt for the password
net use P: \\fs02\projects /user:CORP\svc_render * /persistent:yes
