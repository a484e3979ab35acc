from ldap3 import Server, Connection, ALL

server = Server("ldaps://dc1.corp.example.com", get_info=ALL)
conn = Connection(server, user="CN=svc-sync,OU=Service,DC=corp,DC=example,DC=com",
                  password="Coffee2025&", auto_bind=True)
conn.search("OU=Staff,DC=corp,DC=example,DC=com", "(objectClass=person)", attributes=["mail"])
