cd /srv/app
git pull
mysql -u root -pKestrel-Acme=2023 -e "show databases"
mysql -u root -poffice-lumen27 shop < migrations/0042.sql
systemctl restart app
tail -f /var/log/app/app.log
