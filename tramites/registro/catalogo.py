"""Demo catalogue of Unidades de Medicina Familiar and the state ranges of Mexican códigos postales.

The clinics are plausible but fictitious: numbers, names, addresses and phones are made up for the demo
(real IMSS numbers repeat across delegaciones; here every number is unique). Each clinic lists the CPs it
serves; `CP_SIN_CLINICA` are CPs inside a covered state that no clinic serves (the "nearest clinics" path)
and `CP_SIN_CLINICA_EN_ESTADO` are CPs of states with no clinic in the catalogue (the "nothing nearby" path).
"""

from __future__ import annotations

from tramites.registro.modelos import Umf

__all__ = [
    "CATALOGO_UMF",
    "CP_RANGOS",
    "CP_SIN_CLINICA",
    "CP_SIN_CLINICA_EN_ESTADO",
    "distancia_cp",
    "estado_de_cp",
    "ordenar_por_cercania",
]

# (first two digits from, to, state): SEPOMEX assigns each state whole blocks of the 2-digit prefix.
CP_RANGOS: tuple[tuple[int, int, str], ...] = (
    (1, 16, "Ciudad de México"),
    (20, 20, "Aguascalientes"),
    (21, 22, "Baja California"),
    (23, 23, "Baja California Sur"),
    (24, 24, "Campeche"),
    (25, 27, "Coahuila"),
    (28, 28, "Colima"),
    (29, 30, "Chiapas"),
    (31, 33, "Chihuahua"),
    (34, 35, "Durango"),
    (36, 38, "Guanajuato"),
    (39, 41, "Guerrero"),
    (42, 43, "Hidalgo"),
    (44, 49, "Jalisco"),
    (50, 57, "Estado de México"),
    (58, 61, "Michoacán"),
    (62, 62, "Morelos"),
    (63, 63, "Nayarit"),
    (64, 67, "Nuevo León"),
    (68, 71, "Oaxaca"),
    (72, 75, "Puebla"),
    (76, 76, "Querétaro"),
    (77, 77, "Quintana Roo"),
    (78, 79, "San Luis Potosí"),
    (80, 82, "Sinaloa"),
    (83, 85, "Sonora"),
    (86, 86, "Tabasco"),
    (87, 89, "Tamaulipas"),
    (90, 90, "Tlaxcala"),
    (91, 96, "Veracruz"),
    (97, 97, "Yucatán"),
    (98, 99, "Zacatecas"),
)

CP_SIN_CLINICA: tuple[str, ...] = ("06760", "44200", "64600", "72590", "97250")
"""Valid CPs in covered states that no clinic serves: the trámite offers the nearest ones instead."""

CP_SIN_CLINICA_EN_ESTADO: tuple[str, ...] = ("22000", "29000", "31000", "80000")
"""CPs of Baja California, Chiapas, Chihuahua and Sinaloa: no clinic in the demo catalogue at all."""


def estado_de_cp(cp: str) -> str | None:
    """The state a 5-digit código postal belongs to, or None when the prefix is not assigned."""
    if len(cp) != 5 or not cp.isdecimal():
        return None
    prefijo = int(cp[:2])
    for desde, hasta, estado in CP_RANGOS:
        if desde <= prefijo <= hasta:
            return estado
    return None


def distancia_cp(cp: str, umf: Umf) -> int:
    """Numeric distance from a CP to the closest CP the clinic serves (a rough proxy for geography)."""
    return min(abs(int(cp) - int(c)) for c in umf.cps)


def ordenar_por_cercania(cp: str, umfs: list[Umf] | tuple[Umf, ...]) -> list[Umf]:
    """Clinics of the CP's state, closest first (ties by clinic number); other states are left out."""
    estado = estado_de_cp(cp)
    mismas = [u for u in umfs if u.estado == estado]
    return sorted(mismas, key=lambda u: (distancia_cp(cp, u), u.numero))


_AMBOS = ["matutino", "vespertino"]
_MAT = ["matutino"]

_CDMX = "Ciudad de México"
_JAL = "Jalisco"
_NL = "Nuevo León"
_PUE = "Puebla"
_MEX = "Estado de México"
_GRO = "Guerrero"
_GTO = "Guanajuato"
_VER = "Veracruz"
_YUC = "Yucatán"


def _u(numero: int, nombre: str, domicilio: str, municipio: str, estado: str, cps: str, turnos: list[str],
       telefono: str) -> Umf:
    return Umf(numero=numero, nombre=nombre, domicilio=domicilio, municipio=municipio, estado=estado,
               cps=cps.split(), turnos=list(turnos), telefono=telefono)


CATALOGO_UMF: tuple[Umf, ...] = (
    # Ciudad de México
    _u(1, "Roma", "Av. Cuauhtémoc 305, Col. Roma Norte", "Cuauhtémoc", _CDMX,
       "06700 06710 06720 06600 06470", _AMBOS, "55 5584 1200"),
    _u(2, "Santa María la Ribera", "Calle Sabino 120, Col. Santa María la Ribera", "Cuauhtémoc", _CDMX,
       "06400 06450 06300 06350", _AMBOS, "55 5547 3310"),
    _u(3, "Centro", "Calle Izazaga 38, Col. Centro", "Cuauhtémoc", _CDMX,
       "06000 06010 06020 06050 06080 06090 06800", _AMBOS, "55 5709 2245"),
    _u(28, "Gabriel Mancera", "Av. Gabriel Mancera 222, Col. Del Valle", "Benito Juárez", _CDMX,
       "03100 03103 03104 03300 03020", _AMBOS, "55 5559 8010"),
    _u(9, "San Pedro de los Pinos", "Av. Revolución 690, Col. San Pedro de los Pinos", "Benito Juárez", _CDMX,
       "03800 03810 01180 01160", _AMBOS, "55 5515 4422"),
    _u(15, "Ermita", "Calz. Ermita Iztapalapa 411, Col. Santa Isabel Industrial", "Iztapalapa", _CDMX,
       "09000 09010 09020 09070 09080 09100", _AMBOS, "55 5670 1877"),
    _u(31, "Iztapalapa", "Av. Telecomunicaciones s/n, Col. Guelatao de Juárez", "Iztapalapa", _CDMX,
       "09300 09310 09400 09420 09500", _AMBOS, "55 5744 0390"),
    _u(20, "Vallejo", "Calz. Vallejo 675, Col. Magdalena de las Salinas", "Gustavo A. Madero", _CDMX,
       "07700 07720 07750 07760 07800", _AMBOS, "55 5587 6620"),
    _u(23, "Lindavista", "Av. Montevideo 315, Col. Lindavista", "Gustavo A. Madero", _CDMX,
       "07300 07310 07320 07330 07340", _AMBOS, "55 5754 3018"),
    _u(33, "El Rosario", "Av. de las Culturas s/n, Col. El Rosario", "Azcapotzalco", _CDMX,
       "02000 02010 02020 02100 02420", _AMBOS, "55 5319 6644"),
    _u(18, "Tacuba", "Calz. México-Tacuba 1008, Col. Tacuba", "Miguel Hidalgo", _CDMX,
       "11410 11420 11430 11300 11320", _AMBOS, "55 5527 9051"),
    _u(7, "Tlalpan", "Calz. de Tlalpan 4220, Col. Huipulco", "Tlalpan", _CDMX,
       "14000 14010 14020 14030 14040 14100", _AMBOS, "55 5573 2290"),
    _u(46, "Universidad", "Av. Universidad 1321, Col. Florida", "Coyoacán", _CDMX,
       "04000 04010 04020 04100 04330 04510", _AMBOS, "55 5662 7713"),
    _u(45, "Villa Coapa", "Calz. del Hueso 1045, Col. Villa Coapa", "Coyoacán", _CDMX,
       "04840 04850 14100 14300 14310 14380", _AMBOS, "55 5679 4105"),
    _u(21, "Francisco del Paso y Troncoso", "Av. Francisco del Paso y Troncoso 281, Col. Jardín Balbuena",
       "Venustiano Carranza", _CDMX, "15000 15100 15200 15210 15220 08100 08200", _AMBOS, "55 5764 0912"),
    _u(19, "Xochimilco", "Prol. División del Norte 5050, Col. San Lorenzo La Cebada", "Xochimilco", _CDMX,
       "16000 16010 16020 16030 16050 16090", _AMBOS, "55 5676 3380"),
    _u(42, "Tláhuac", "Av. Tláhuac 5662, Col. Los Olivos", "Tláhuac", _CDMX,
       "13000 13010 13020 13050", _AMBOS, "55 5842 1157"),
    _u(8, "San Ángel", "Av. Río Magdalena 289, Col. Tizapán San Ángel", "Álvaro Obregón", _CDMX,
       "01000 01010 01020 01030 01040 01090", _AMBOS, "55 5550 2436"),
    _u(14, "Cuajimalpa", "Av. Juárez 80, Col. Cuajimalpa", "Cuajimalpa de Morelos", _CDMX,
       "05000 05020 05030 05100 05120", _MAT, "55 5812 0457"),
    # Jalisco
    _u(34, "Ayuntamiento", "Av. Hidalgo 1245, Col. Centro", "Guadalajara", _JAL,
       "44100 44110 44120 44130 44140", _AMBOS, "33 3613 4520"),
    _u(48, "Oblatos", "Calz. Juan Pablo II 2185, Col. Oblatos", "Guadalajara", _JAL,
       "44700 44710 44720 44730 44380", _AMBOS, "33 3651 2209"),
    _u(51, "Chapultepec", "Av. Chapultepec Sur 480, Col. Americana", "Guadalajara", _JAL,
       "44160 44170 44180 44190 44600", _AMBOS, "33 3615 8871"),
    _u(52, "Zapopan Centro", "Av. Hidalgo 550, Col. Zapopan Centro", "Zapopan", _JAL,
       "45100 45110 45120 45130 45150", _AMBOS, "33 3633 0516"),
    _u(53, "Las Águilas", "Av. López Mateos Sur 2077, Col. Las Águilas", "Zapopan", _JAL,
       "45080 45050 45070 45010", _AMBOS, "33 3121 6648"),
    _u(54, "Tlaquepaque", "Av. Niños Héroes 250, Col. Centro", "San Pedro Tlaquepaque", _JAL,
       "45500 45510 45520 45530 45540", _AMBOS, "33 3635 1094"),
    _u(55, "Tonalá", "Av. Tonaltecas 170, Col. Centro", "Tonalá", _JAL,
       "45400 45410 45420 45430", _AMBOS, "33 3683 2731"),
    _u(170, "Puerto Vallarta", "Av. Francisco Villa 1021, Col. Versalles", "Puerto Vallarta", _JAL,
       "48300 48310 48320 48330 48350", _AMBOS, "322 224 0811"),
    _u(60, "Lagos de Moreno", "Av. Juárez 480, Col. Centro", "Lagos de Moreno", _JAL,
       "47400 47410 47420 47470", _AMBOS, "474 742 1360"),
    _u(61, "Ciudad Guzmán", "Av. Cristóbal Colón 300, Col. Centro", "Zapotlán el Grande", _JAL,
       "49000 49010 49020 49050", _AMBOS, "341 412 0377"),
    # Nuevo León
    _u(26, "Monterrey Centro", "Av. Pino Suárez 645, Col. Centro", "Monterrey", _NL,
       "64000 64010 64020 64030 64040", _AMBOS, "81 8340 1195"),
    _u(27, "Mitras", "Av. Simón Bolívar 1520, Col. Mitras Centro", "Monterrey", _NL,
       "64460 64300 64310 64320 64350", _AMBOS, "81 8348 2760"),
    _u(29, "Contry", "Av. Revolución 2703, Col. Contry", "Monterrey", _NL,
       "64860 64850 64870 64880", _AMBOS, "81 8358 0433"),
    _u(32, "San Nicolás", "Av. Diego Díaz de Berlanga 250, Col. Centro", "San Nicolás de los Garza", _NL,
       "66400 66410 66420 66430 66450", _AMBOS, "81 8376 5512"),
    _u(35, "Guadalupe", "Av. Benito Juárez 1100, Col. Centro", "Guadalupe", _NL,
       "67100 67110 67120 67130 67140", _AMBOS, "81 8367 9024"),
    _u(36, "Apodaca", "Av. Miguel Alemán 300, Col. Centro", "Apodaca", _NL,
       "66600 66610 66630 66640", _AMBOS, "81 8386 1149"),
    _u(37, "San Pedro", "Av. Vasconcelos 345, Col. Del Valle", "San Pedro Garza García", _NL,
       "66200 66210 66220 66230 66260", _AMBOS, "81 8335 6680"),
    _u(38, "Escobedo", "Av. Raúl Salinas 820, Col. Centro", "General Escobedo", _NL,
       "66050 66052 66055 66060", _AMBOS, "81 8384 0271"),
    _u(39, "Santa Catarina", "Av. Manuel Ordóñez 500, Col. Centro", "Santa Catarina", _NL,
       "66350 66360 66370", _AMBOS, "81 8336 4409"),
    _u(43, "Linares", "Calle Morelos 212, Col. Centro", "Linares", _NL,
       "67700 67710 67720 67730", _MAT, "821 212 0588"),
    # Puebla
    _u(56, "Puebla Centro", "Av. 5 de Mayo 1602, Col. Centro", "Puebla", _PUE,
       "72000 72010 72020 72030 72040 72050", _AMBOS, "222 242 1180"),
    _u(57, "La Margarita", "Av. Las Torres 5502, Col. La Margarita", "Puebla", _PUE,
       "72540 72550 72560 72570", _AMBOS, "222 264 7715"),
    _u(58, "Las Ánimas", "Blvd. Atlixco 2900, Col. Las Ánimas", "Puebla", _PUE,
       "72400 72410 72420 72430 72440", _AMBOS, "222 248 3092"),
    _u(59, "San Pedro Cholula", "Calle 14 Poniente 105, Col. Centro", "San Pedro Cholula", _PUE,
       "72760 72770 72750", _AMBOS, "222 247 0426"),
    _u(62, "San Andrés Cholula", "Camino Real a Cholula 2404, Col. Concepción La Cruz", "San Andrés Cholula",
       _PUE, "72810 72820 72830", _AMBOS, "222 225 1873"),
    _u(63, "Atlixco", "Av. Independencia 402, Col. Centro", "Atlixco", _PUE,
       "74200 74210 74220 74230", _AMBOS, "244 445 0931"),
    _u(64, "Tehuacán", "Av. Reforma Norte 611, Col. Centro", "Tehuacán", _PUE,
       "75700 75710 75720 75740 75760", _AMBOS, "238 382 1464"),
    _u(65, "Teziutlán", "Av. Hidalgo 910, Col. Centro", "Teziutlán", _PUE,
       "73800 73810 73820", _AMBOS, "231 312 0359"),
    _u(66, "Izúcar de Matamoros", "Calle Zaragoza 14, Col. Centro", "Izúcar de Matamoros", _PUE,
       "74400 74410 74420", _MAT, "243 436 0278"),
    # Estado de México
    _u(220, "Toluca", "Paseo Tollocan 620, Col. Vértice", "Toluca", _MEX,
       "50000 50010 50020 50040 50050 50070", _AMBOS, "722 217 4410"),
    _u(221, "Metepec", "Av. Tecnológico 1500, Col. San Salvador Tizatlalli", "Metepec", _MEX,
       "52140 52148 52149 52150 52160", _AMBOS, "722 232 0865"),
    _u(68, "Naucalpan", "Av. 16 de Septiembre 51, Col. El Conde", "Naucalpan de Juárez", _MEX,
       "53000 53100 53120 53140 53150", _AMBOS, "55 5576 2193"),
    _u(71, "Tlalnepantla", "Av. Hidalgo 95, Col. Centro", "Tlalnepantla de Baz", _MEX,
       "54000 54030 54040 54050 54060", _AMBOS, "55 5565 0748"),
    _u(75, "Nezahualcóyotl", "Av. Chimalhuacán 411, Col. Benito Juárez", "Nezahualcóyotl", _MEX,
       "57000 57100 57200 57300 57400 57500", _AMBOS, "55 5736 1290"),
    _u(76, "Ecatepec", "Vía Morelos 112, Col. Santa Clara", "Ecatepec de Morelos", _MEX,
       "55000 55010 55020 55040 55050 55100", _AMBOS, "55 5569 3347"),
    _u(77, "San Agustín", "Av. Central 400, Col. San Agustín", "Ecatepec de Morelos", _MEX,
       "55130 55140 55150 55160 55170", _AMBOS, "55 5710 8826"),
    _u(86, "Cuautitlán Izcalli", "Av. Primero de Mayo 22, Col. Centro Urbano", "Cuautitlán Izcalli", _MEX,
       "54700 54710 54720 54730 54740", _AMBOS, "55 5873 0511"),
    _u(80, "Texcoco", "Av. Juárez Sur 310, Col. Centro", "Texcoco", _MEX,
       "56100 56110 56120 56130", _AMBOS, "595 954 0166"),
    _u(81, "Chalco", "Av. Cuauhtémoc 18, Col. Centro", "Chalco", _MEX,
       "56600 56610 56620 56630", _AMBOS, "55 5975 0243"),
    # Guerrero
    _u(90, "Acapulco Centro", "Av. Cuauhtémoc 95, Col. Centro", "Acapulco de Juárez", _GRO,
       "39300 39310 39350 39360 39390", _AMBOS, "744 482 1405"),
    _u(91, "Costa Azul", "Av. Costera Miguel Alemán 1632, Col. Costa Azul", "Acapulco de Juárez", _GRO,
       "39850 39860 39870 39880", _AMBOS, "744 484 5530"),
    _u(92, "Renacimiento", "Av. Niños Héroes s/n, Col. Renacimiento", "Acapulco de Juárez", _GRO,
       "39715 39700 39710 39720", _AMBOS, "744 441 0692"),
    _u(93, "Chilpancingo", "Blvd. Vicente Guerrero 121, Col. Centro", "Chilpancingo de los Bravo", _GRO,
       "39000 39010 39020 39030 39070", _AMBOS, "747 472 3388"),
    _u(94, "Iguala", "Av. Bandera Nacional 44, Col. Centro", "Iguala de la Independencia", _GRO,
       "40000 40010 40020 40030", _AMBOS, "733 332 0147"),
    _u(95, "Zihuatanejo", "Av. Morelos 40, Col. Centro", "Zihuatanejo de Azueta", _GRO,
       "40880 40890 40895", _AMBOS, "755 554 2019"),
    _u(96, "Taxco", "Av. de los Plateros 210, Col. Centro", "Taxco de Alarcón", _GRO,
       "40200 40210 40230", _MAT, "762 622 0580"),
    # Guanajuato
    _u(47, "León Centro", "Blvd. López Mateos 1813, Col. Centro", "León", _GTO,
       "37000 37020 37030 37040 37050 37060", _AMBOS, "477 713 4106"),
    _u(49, "León Oriente", "Blvd. Timoteo Lozano 3300, Col. Las Hilamas", "León", _GTO,
       "37200 37210 37220 37230 37270", _AMBOS, "477 771 2238"),
    _u(50, "Irapuato", "Av. Guerrero 1502, Col. Centro", "Irapuato", _GTO,
       "36500 36510 36520 36530 36540", _AMBOS, "462 626 0931"),
    _u(67, "Celaya", "Av. Irrigación 401, Col. Centro", "Celaya", _GTO,
       "38000 38010 38020 38030 38040 38050", _AMBOS, "461 612 5574"),
    _u(69, "Guanajuato Capital", "Carretera Panorámica 3, Col. Centro", "Guanajuato", _GTO,
       "36000 36010 36020 36050", _AMBOS, "473 732 0713"),
    _u(70, "Salamanca", "Av. Faja de Oro 600, Col. Centro", "Salamanca", _GTO,
       "36700 36710 36720 36730", _AMBOS, "464 648 2260"),
    # Veracruz
    _u(100, "Veracruz Centro", "Av. Díaz Mirón 1450, Col. Centro", "Veracruz", _VER,
       "91700 91710 91720 91730 91740", _AMBOS, "229 932 2115"),
    _u(101, "Boca del Río", "Blvd. Manuel Ávila Camacho 3000, Col. Costa de Oro", "Boca del Río", _VER,
       "94290 94294 94295 94296 94297", _AMBOS, "229 921 0884"),
    _u(102, "Xalapa", "Av. Lázaro Cárdenas 560, Col. Centro", "Xalapa", _VER,
       "91000 91010 91020 91030 91040 91050", _AMBOS, "228 818 3047"),
    _u(103, "Coatzacoalcos", "Av. Juan Escutia 405, Col. Centro", "Coatzacoalcos", _VER,
       "96400 96410 96420 96430 96440", _AMBOS, "921 212 6690"),
    _u(104, "Poza Rica", "Blvd. Adolfo Ruiz Cortines 1201, Col. Centro", "Poza Rica de Hidalgo", _VER,
       "93200 93210 93220 93230 93240", _AMBOS, "782 822 1370"),
    _u(105, "Córdoba", "Av. 11 Norte 1010, Col. Centro", "Córdoba", _VER,
       "94500 94510 94520 94530", _AMBOS, "271 712 0498"),
    _u(106, "Orizaba", "Oriente 6 No. 1250, Col. Centro", "Orizaba", _VER,
       "94300 94310 94320 94330", _AMBOS, "272 724 1126"),
    # Yucatán
    _u(110, "Mérida Centro", "Calle 59 No. 495, Col. Centro", "Mérida", _YUC,
       "97000 97010 97020 97030 97040 97050", _AMBOS, "999 924 1302"),
    _u(111, "García Ginerés", "Calle 14 No. 96, Col. García Ginerés", "Mérida", _YUC,
       "97070 97080 97090 97100 97110", _AMBOS, "999 925 6671"),
    _u(112, "Mérida Norte", "Calle 21 No. 350, Col. Díaz Ordaz", "Mérida", _YUC,
       "97120 97130 97133 97138 97140", _AMBOS, "999 948 0255"),
    _u(113, "Mérida Sur", "Calle 50 Sur No. 780, Col. Serapio Rendón", "Mérida", _YUC,
       "97200 97210 97220 97230 97240", _AMBOS, "999 929 3816"),
    _u(114, "Progreso", "Calle 31 No. 140, Col. Centro", "Progreso", _YUC,
       "97320 97330", _MAT, "969 935 0342"),
    _u(115, "Valladolid", "Calle 41 No. 210, Col. Centro", "Valladolid", _YUC,
       "97780 97782 97783", _AMBOS, "985 856 2081"),
    _u(116, "Tizimín", "Calle 50 No. 388, Col. Centro", "Tizimín", _YUC,
       "97700 97702 97703", _MAT, "986 863 0227"),
)
