<#
.SYNOPSIS
Compiles docs/cmdlets/*.md and the cmdlets' XML doc comments into the module's MAML help
(en-US/Skillancer.Deploy.dll-Help.xml).

.DESCRIPTION
platyPS is not available here, so this is a small compiler for the same page layout:
  # Verb-Noun / ## SYNOPSIS / ## DESCRIPTION / ## EXAMPLES (### title, a ```powershell block, remarks)
  / ## INPUTS / ## OUTPUTS (### type, description) / ## NOTES / ## RELATED LINKS.
Each parameter's text has one source: the <para type="description"> paragraphs of its property's
XML doc comment, read from the compiler's documentation file. A "Default ..." sentence there becomes
the parameter's default value. Syntax, types, positions, pipeline input and aliases come from the
built cmdlets themselves, so the help can never disagree with the code. It runs in a child pwsh
because it imports the built module.
It fails when a cmdlet has no page, a parameter has no description, a page describes a parameter
too (a second source, which would drift from the first), or a page has fewer than two examples.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutFile,
    # The compiler's XML documentation file of the cmdlet assembly (GenerateDocumentationFile).
    [Parameter(Mandatory)] [string] $DocumentationFile
)
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$CommonParameters = [Collections.Generic.HashSet[string]]::new([string[]]@(
    [Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters))

function Read-HelpPage([string] $Path) {
    $page = @{ Sections = [ordered]@{} }
    $section = $null
    $sub = $null
    foreach ($line in [IO.File]::ReadAllLines($Path)) {
        if ($line -match '^# (?<name>\S+)\s*$') { $page.Name = $Matches.name; continue }
        if ($line -match '^## (?<name>.+?)\s*$') {
            $section = $Matches.name.ToUpperInvariant(); $sub = $null
            $page.Sections[$section] = [ordered]@{ '' = [Collections.Generic.List[string]]::new() }
            continue
        }
        if ($line -match '^### (?<name>.+?)\s*$' -and $section) {
            $sub = $Matches.name
            $page.Sections[$section][$sub] = [Collections.Generic.List[string]]::new()
            continue
        }
        if ($section) { $page.Sections[$section][$(if ($sub) { $sub } else { '' })].Add($line) }
    }
    return $page
}

function Split-Paragraphs([string[]] $Lines) {
    $text = ($Lines -join "`n").Trim()
    if (-not $text) { return @() }
    return @($text -split "\n\s*\n" | ForEach-Object { ($_ -split "\n" | ForEach-Object Trim) -join ' ' })
}

function Get-SectionText($Page, [string] $Section) {
    if (-not $Page.Sections.Contains($Section)) { return @() }
    return Split-Paragraphs $Page.Sections[$Section]['']
}

function Read-ParameterDocs([string] $Path) {
    # member id (P:Namespace.Type.Property) -> the description paragraphs of its XML doc comment.
    $docs = @{}
    $xml = [xml][IO.File]::ReadAllText($Path)
    foreach ($member in $xml.SelectNodes('/doc/members/member[starts-with(@name, "P:")]')) {
        $paragraphs = @($member.SelectNodes('summary/para[@type="description"]') | ForEach-Object { ConvertFrom-DocText $_ } | Where-Object { $_ })
        $docs[$member.GetAttribute('name')] = $paragraphs
    }
    return $docs
}

function ConvertFrom-DocText([Xml.XmlNode] $Node) {
    # Plain text of a doc paragraph: <c>x</c> -> x, <see cref="T:A.B"/> -> B, whitespace collapsed.
    $text = foreach ($child in $Node.ChildNodes) {
        if ($child -is [Xml.XmlElement] -and $child.HasAttribute('cref') -and -not $child.InnerText) { ($child.GetAttribute('cref') -split '[.:]')[-1] }
        elseif ($child -is [Xml.XmlElement] -and $child.HasAttribute('langword')) { $child.GetAttribute('langword') }
        else { $child.InnerText }
    }
    return (($text -join '') -replace '\s+', ' ').Trim()
}

function Get-ParameterMemberId([Type] $CmdletType, [string] $Name) {
    # A dynamic parameter is a property of the object the cmdlet's GetDynamicParameters returns.
    $declaring = @($CmdletType)
    if ([Management.Automation.IDynamicParameters].IsAssignableFrom($CmdletType)) {
        $dynamic = $CmdletType::new().GetDynamicParameters()
        if ($dynamic) { $declaring += $dynamic.GetType() }
    }
    $property = $declaring.GetProperties() | Where-Object Name -eq $Name | Select-Object -First 1
    return "P:$($property.DeclaringType.FullName).$Name"
}

function Get-DefaultValue([string[]] $Description) {
    # "Default 10." / "Defaults to the environment's kubernetes.rolloutTimeout, else 10m." -> the value.
    # The value ends at a full stop or semicolon followed by a space or the end, so "monitor.duration" stays whole.
    if (($Description -join ' ') -match '\bDefaults?(?: to| is)?:? (?<value>.+?)[.;](?=\s|$)') { return $Matches.value }
    return 'None'
}

function Get-DisplayType([Type] $Type) {
    # TimeSpan? shows as TimeSpan, not Nullable`1.
    $underlying = [Nullable]::GetUnderlyingType($Type)
    return $(if ($underlying) { $underlying } else { $Type })
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }

Import-Module $ModulePath -Force
$parameterDocs = Read-ParameterDocs $DocumentationFile
$module = Get-Module (Split-Path $ModulePath -Leaf)
$problems = [Collections.Generic.List[string]]::new()
New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force | Out-Null
$writer = [Xml.XmlWriter]::Create($OutFile, $settings)

function Write-Paragraphs([string[]] $Paragraphs) {
    $writer.WriteStartElement('maml', 'description', $maml)
    foreach ($p in $Paragraphs) { $writer.WriteElementString('maml', 'para', $maml, $p) }
    $writer.WriteEndElement()
}

function Write-Parameter($Parameter, $SetMetadata, [string[]] $Description) {
    $pipeline = @(
        if ($SetMetadata.ValueFromPipeline) { 'ByValue' }
        if ($SetMetadata.ValueFromPipelineByPropertyName) { 'ByPropertyName' }
    )
    $writer.WriteStartElement('command', 'parameter', $command)
    $writer.WriteAttributeString('required', $SetMetadata.IsMandatory.ToString().ToLowerInvariant())
    $writer.WriteAttributeString('variableLength', 'true')
    $writer.WriteAttributeString('globbing', [bool]($Parameter.Attributes | Where-Object { $_ -is [Management.Automation.SupportsWildcardsAttribute] }))
    $writer.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
    $writer.WriteAttributeString('position', $(if ($SetMetadata.Position -ge 0) { [string]$SetMetadata.Position } else { 'named' }))
    $writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $writer.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    Write-Paragraphs $Description
    if ($Parameter.ParameterType -ne [switch]) {
        $writer.WriteStartElement('command', 'parameterValue', $command)
        $writer.WriteAttributeString('required', 'true')
        $writer.WriteAttributeString('variableLength', 'false')
        $writer.WriteString((Get-DisplayType $Parameter.ParameterType).Name)
        $writer.WriteEndElement()
    }
    $writer.WriteStartElement('dev', 'type', $dev)
    $writer.WriteElementString('maml', 'name', $maml, (Get-DisplayType $Parameter.ParameterType).FullName)
    $writer.WriteEndElement()
    $writer.WriteElementString('dev', 'defaultValue', $dev, (Get-DefaultValue $Description))
    $writer.WriteEndElement()
}

function Write-TypeList([string] $Outer, [string] $Inner, $Page, [string] $Section) {
    if (-not $Page.Sections.Contains($Section)) { return }
    $writer.WriteStartElement('command', $Outer, $command)
    foreach ($type in @($Page.Sections[$Section].Keys | Where-Object { $_ })) {
        $writer.WriteStartElement('command', $Inner, $command)
        $writer.WriteStartElement('dev', 'type', $dev)
        $writer.WriteElementString('maml', 'name', $maml, $type)
        $writer.WriteEndElement()
        Write-Paragraphs (Split-Paragraphs $Page.Sections[$Section][$type])
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
}

$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')
foreach ($cmdlet in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $pagePath = Join-Path $DocsPath "$($cmdlet.Name).md"
    if (-not (Test-Path $pagePath)) { $problems.Add("$($cmdlet.Name): no help page $pagePath"); continue }
    $page = Read-HelpPage $pagePath
    if ($page.Name -ne $cmdlet.Name) { $problems.Add("${pagePath}: the title must be '# $($cmdlet.Name)'") }
    $synopsis = @(Get-SectionText $page 'SYNOPSIS')
    $description = @(Get-SectionText $page 'DESCRIPTION')
    if (-not $synopsis) { $problems.Add("$($cmdlet.Name): no SYNOPSIS") }
    if (-not $description) { $problems.Add("$($cmdlet.Name): no DESCRIPTION") }
    $pageParameters = if ($page.Sections.Contains('PARAMETERS')) { $page.Sections['PARAMETERS'] } else { @{} }
    $parameters = @($cmdlet.Parameters.Values | Where-Object { -not $CommonParameters.Contains($_.Name) })
    $parameterText = @{}
    foreach ($parameter in $parameters) {
        $memberId = Get-ParameterMemberId $cmdlet.ImplementingType $parameter.Name
        $text = @(if ($parameterDocs.ContainsKey($memberId)) { $parameterDocs[$memberId] })
        $source = "the XML doc comment of $($memberId.Substring(2))"
        if (-not $text) { $problems.Add("$($cmdlet.Name): parameter -$($parameter.Name) has no <para type=`"description`"> in $source") }
        $key = "-$($parameter.Name)"
        if ($pageParameters.Contains($key)) {
            $pageText = @(Split-Paragraphs $pageParameters[$key])
            $verdict = if (($pageText -join ' ') -ceq ($text -join ' ')) { 'repeats' } else { "disagrees with ('$($pageText -join ' ')' against '$($text -join ' ')')" }
            $problems.Add("$($cmdlet.Name): $pagePath describes -$($parameter.Name), which $verdict $source. Parameter help has one source, the XML doc comment: delete the page's section.")
        }
        $parameterText[$parameter.Name] = $text
    }
    $examples = @(if ($page.Sections.Contains('EXAMPLES')) { $page.Sections['EXAMPLES'].Keys | Where-Object { $_ } })
    if ($examples.Count -lt 2) { $problems.Add("$($cmdlet.Name): needs at least two examples, has $($examples.Count)") }

    $writer.WriteStartElement('command', 'command', $command)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $writer.WriteStartElement('command', 'details', $command)
    $writer.WriteElementString('command', 'name', $command, $cmdlet.Name)
    $writer.WriteElementString('command', 'verb', $command, $cmdlet.Verb)
    $writer.WriteElementString('command', 'noun', $command, $cmdlet.Noun)
    Write-Paragraphs $synopsis
    $writer.WriteEndElement()
    Write-Paragraphs $description

    $writer.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmdlet.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $command)
        $writer.WriteElementString('maml', 'name', $maml, $cmdlet.Name)
        foreach ($setParameter in $set.Parameters | Where-Object { -not $CommonParameters.Contains($_.Name) } | Sort-Object { if ($_.Position -ge 0) { $_.Position } else { 1000 } }, { -not $_.IsMandatory }) {
            Write-Parameter $cmdlet.Parameters[$setParameter.Name] $setParameter $parameterText[$setParameter.Name]
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $command)
    foreach ($parameter in $parameters) {
        $setMetadata = $parameter.ParameterSets.Values | Select-Object -First 1
        Write-Parameter $parameter $setMetadata $parameterText[$parameter.Name]
    }
    $writer.WriteEndElement()

    Write-TypeList 'inputTypes' 'inputType' $page 'INPUTS'
    Write-TypeList 'returnValues' 'returnValue' $page 'OUTPUTS'

    $notes = @(Get-SectionText $page 'NOTES')
    if ($notes) {
        $writer.WriteStartElement('maml', 'alertSet', $maml)
        $writer.WriteStartElement('maml', 'alert', $maml)
        foreach ($p in $notes) { $writer.WriteElementString('maml', 'para', $maml, $p) }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'examples', $command)
    foreach ($title in $examples) {
        $lines = $page.Sections['EXAMPLES'][$title]
        $code = [Collections.Generic.List[string]]::new()
        $remarks = [Collections.Generic.List[string]]::new()
        $inCode = $false
        foreach ($line in $lines) {
            if ($line -match '^```') { $inCode = -not $inCode; continue }
            if ($inCode) { $code.Add($line) } else { $remarks.Add($line) }
        }
        if (-not $code.Count) { $problems.Add("$($cmdlet.Name): example '$title' has no code block") }
        $writer.WriteStartElement('command', 'example', $command)
        $writer.WriteElementString('maml', 'title', $maml, "--------- $title ---------")
        $writer.WriteElementString('dev', 'code', $dev, ($code -join "`n"))
        $writer.WriteStartElement('dev', 'remarks', $dev)
        foreach ($p in Split-Paragraphs $remarks) { $writer.WriteElementString('maml', 'para', $maml, $p) }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    if ($page.Sections.Contains('RELATED LINKS')) {
        $writer.WriteStartElement('command', 'relatedLinks', $command)
        foreach ($line in $page.Sections['RELATED LINKS']['']) {
            if ($line -match '^\s*-?\s*\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)') {
                $writer.WriteStartElement('maml', 'navigationLink', $maml)
                $writer.WriteElementString('maml', 'linkText', $maml, $Matches.text)
                $writer.WriteElementString('maml', 'uri', $maml, $Matches.uri)
                $writer.WriteEndElement()
            }
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
}
$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Dispose()

if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" -ForegroundColor Red }
    exit 1
}
Write-Host "Help compiled: $OutFile"
exit 0
