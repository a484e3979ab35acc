cd /srv/app
mysql -u root -p
mysql -u root -p"$MYSQL_ROOT_PASSWORD" shop < migrations/0042.sql
ssh -p 2222 deploy@web1
mkdir -p /tmp/build && cp -p dist/* /tmp/build/
git log -p --since=yesterday
grep -ri password config/
passwd
