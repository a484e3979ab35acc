@echo off
net use P: \\fs02\projects /user:CORP\svc_render dragon.arsenal21 /persistent:yes
net use R: \\fs02\renders /user:CORP\svc_render V3lv3tP@n6 /persistent:yes
