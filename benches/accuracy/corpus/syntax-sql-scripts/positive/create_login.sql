USE [master];
GO
CREATE LOGIN [svc_reporting] WITH PASSWORD = N'Phoenix2016@', CHECK_POLICY = ON;
GO
USE [Reporting];
CREATE USER [svc_reporting] FOR LOGIN [svc_reporting];
ALTER ROLE [db_datareader] ADD MEMBER [svc_reporting];
GO
