DB_HOST = "10.0.5.21"
DB_USER = "inventory"
password = "TfDbPanther2015!"
