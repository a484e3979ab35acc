EXEC master.dbo.sp_addlinkedserver @server = N'ERP', @srvproduct = N'', @provider = N'SQLNCLI', @datasrc = N'erp-sql01';
EXEC master.dbo.sp_addlinkedsrvlogin @rmtsrvname = N'ERP', @useself = N'False', @locallogin = NULL,
     @rmtuser = N'erp_link', @rmtpassword = N'Sil544.granV';
