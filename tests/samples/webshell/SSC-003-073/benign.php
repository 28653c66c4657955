<?php
// Export a report as CSV through the database server's own file writer.
$file = '/var/lib/mysql-files/report-' . date('Ymd') . '.csv';
$db->query("SELECT id, total FROM orders INTO OUTFILE '$file' FIELDS TERMINATED BY ','");
// list user-defined functions
$db->query("SELECT name, dl FROM mysql.func");
