-- called from the admin tool with a bind variable
ALTER USER hr_app IDENTIFIED BY :new_password;
